package org.grouprelay.report;

import java.util.List;
import java.util.Map;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.Plan;
import org.grouprelay.reconcile.RepairAction;
import org.grouprelay.reconcile.Result;

/**
 * The report as one standalone HTML page: counts at the top, one table per group. Styles are
 * {@code style} attributes, not a style sheet, because several mail clients drop {@code <style>};
 * there are no scripts, images, fonts or links, so the page shows the same offline and in a mail.
 * Every value from the directory or Seafile is escaped: group names may contain {@code <}, {@code &} and quotes.
 */
public final class HtmlReport {
    private static final String BODY = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1f2328;"
            + "background:#ffffff;margin:0;padding:24px;font-size:14px;line-height:1.45";
    private static final String OK = "background:#dafbe1;color:#116329;border:1px solid #4ac26b;";
    private static final String DRIFT = "background:#ffebe9;color:#82071e;border:1px solid #ff8182;";
    private static final String BANNER = "padding:10px 14px;border-radius:6px;font-size:16px;font-weight:600;margin:0 0 8px 0";
    private static final String META = "color:#59636e;margin:0 0 20px 0";
    private static final String TABLE = "border-collapse:collapse;margin:0 0 20px 0;min-width:60%";
    private static final String TH = "text-align:left;padding:6px 10px;border-bottom:2px solid #d1d9e0;background:#f6f8fa";
    private static final String TD = "text-align:left;vertical-align:top;padding:6px 10px;border-bottom:1px solid #d1d9e0";
    private static final String NUM = "text-align:right;vertical-align:top;padding:6px 10px;border-bottom:1px solid #d1d9e0;"
            + "font-variant-numeric:tabular-nums";
    private static final String H2 = "font-size:16px;margin:24px 0 8px 0";
    private static final String CODE = "font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px";

    private HtmlReport() {
    }

    public static String render(CheckRun run) {
        Plan plan = run.plan();
        String headline = Wording.headline(plan) + Wording.outcome(run);
        StringBuilder out = new StringBuilder(4096);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>grouprelay check: ").append(escape(headline)).append("</title>\n</head>\n")
                .append("<body style=\"").append(BODY).append("\">\n")
                .append("<h1 style=\"font-size:20px;margin:0 0 12px 0\">grouprelay check</h1>\n")
                .append("<p style=\"").append(plan.inSync() ? OK : DRIFT).append(BANNER).append("\">")
                .append(escape(headline)).append("</p>\n")
                .append("<p style=\"").append(META).append("\">checked ").append(escape(plan.checkedAt().toString()))
                .append(" · mode ").append(escape(run.mode())).append(" · ").append(plan.groups()).append(" groups · ")
                .append(plan.memberships()).append(" memberships</p>\n");
        counts(out, plan, run.target());
        Wording.byGroup(plan).forEach((group, findings) -> group(out, group, findings, run.target()));
        actions(out, run);
        run.refused().ifPresent(why -> out.append("<h2 style=\"").append(H2).append("\">Repair refused</h2>\n<p style=\"")
                .append(DRIFT).append(BANNER).append("\">").append(escape(why)).append("</p>\n"));
        run.repair().ifPresent(result -> result(out, result));
        return out.append("</body>\n</html>\n").toString();
    }

    private static void counts(StringBuilder out, Plan plan, String target) {
        Map<Finding.Kind, Integer> counts = plan.counts();
        if (counts.values().stream().allMatch(n -> n == 0)) {
            out.append("<p>No findings: ").append(escape(target)).append("'s groups equal the directory's.</p>\n");
            return;
        }
        out.append("<table style=\"").append(TABLE).append("\">\n<thead><tr>").append(th("Finding")).append("<th style=\"").append(TH)
                .append(";text-align:right\">Count</th>")
                .append("</tr></thead>\n<tbody>\n");
        counts.forEach((kind, n) -> {
            if (n > 0) {
                out.append("<tr>").append(td(Wording.title(kind, target))).append("<td style=\"").append(NUM).append("\">").append(n)
                        .append("</td></tr>\n");
            }
        });
        out.append("</tbody>\n</table>\n");
    }

    private static void group(StringBuilder out, String group, List<Finding> findings, String target) {
        out.append("<h2 style=\"").append(H2).append("\">").append(escape(Wording.heading(group))).append("</h2>\n")
                .append("<table style=\"").append(TABLE).append("\">\n<thead><tr>").append(th("Finding")).append(th("User"))
                .append(th("Detail")).append(th("Action")).append("</tr></thead>\n<tbody>\n");
        for (Finding f : findings) {
            out.append("<tr>").append(td(Wording.title(f.kind(), target))).append("<td style=\"").append(TD).append(';').append(CODE)
                    .append("\">").append(escape(f.user())).append("</td>").append(td(f.detail())).append(td(f.action()))
                    .append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** Like the text report: the list for a dry run or a refused repair, a count for a plain check. */
    private static void actions(StringBuilder out, CheckRun run) {
        List<RepairAction> actions = run.plan().actions();
        if (actions.isEmpty() || run.repair().isPresent()) {
            return;
        }
        if (run.refused().isEmpty() && !"dry-run".equals(run.mode())) {
            out.append("<p style=\"").append(META).append("\">").append(actions.size())
                    .append(actions.size() == 1 ? " repair action" : " repair actions").append(" planned.</p>\n");
            return;
        }
        out.append("<h2 style=\"").append(H2).append("\">")
                .append(run.refused().isPresent() ? "Repair plan (not applied)" : "Repair plan (dry run: nothing changed)")
                .append("</h2>\n<table style=\"").append(TABLE).append("\">\n<thead><tr>").append(th("Group"))
                .append(th("Action")).append("</tr></thead>\n<tbody>\n");
        actions.forEach(a -> out.append("<tr>").append(td(a.group().name())).append(td(Wording.describe(a, run.target()))).append("</tr>\n"));
        out.append("</tbody>\n</table>\n");
    }

    private static void result(StringBuilder out, Result result) {
        out.append("<h2 style=\"").append(H2).append("\">Repair</h2>\n<p>").append(escape(Wording.describe(result)))
                .append("</p>\n");
        if (!result.failures().isEmpty()) {
            out.append("<ul>\n");
            result.failures().forEach(f -> out.append("<li>").append(escape(f)).append("</li>\n"));
            out.append("</ul>\n");
        }
    }

    private static String th(String text) {
        return "<th style=\"" + TH + "\">" + escape(text) + "</th>";
    }

    private static String td(String text) {
        return "<td style=\"" + TD + "\">" + escape(text) + "</td>";
    }

    /** Escapes text for element content and double- or single-quoted attributes; null becomes empty. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
