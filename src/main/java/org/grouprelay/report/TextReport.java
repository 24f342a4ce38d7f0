package org.grouprelay.report;

import java.util.List;
import java.util.Map;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.Plan;
import org.grouprelay.reconcile.RepairAction;
import org.grouprelay.reconcile.Result;

/**
 * The report for a terminal and a mail body: plain lines under 100 columns where the data allows,
 * no tabs, no colours, in a fixed order so two runs over the same state print the same text.
 *
 * <pre>
 * grouprelay check: 2 drift findings (1 member missing, 1 extra member)
 * checked 2026-11-25T02:30:00Z, mode check, 12 groups, 340 memberships
 *
 *     1  member missing in Seafile
 *     1  extra member in Seafile
 *
 * devs
 *   - member missing in Seafile: uid=bob,ou=people,dc=example,dc=org — not in Seafile group 7 → add bob@example.org
 * </pre>
 */
public final class TextReport {
    private TextReport() {
    }

    public static String render(CheckRun run) {
        Plan plan = run.plan();
        StringBuilder out = new StringBuilder();
        out.append("grouprelay check: ").append(Wording.headline(plan)).append(Wording.outcome(run)).append('\n');
        out.append("checked ").append(plan.checkedAt()).append(", mode ").append(run.mode()).append(", ")
                .append(plan.groups()).append(" groups, ").append(plan.memberships()).append(" memberships\n");

        Map<Finding.Kind, Integer> counts = plan.counts();
        if (counts.values().stream().anyMatch(n -> n > 0)) {
            out.append('\n');
            counts.forEach((kind, n) -> {
                if (n > 0) {
                    out.append(String.format("%5d  %s\n", n, Wording.title(kind, run.target())));
                }
            });
        }

        Wording.byGroup(plan).forEach((group, findings) -> {
            out.append('\n').append(Wording.heading(group)).append('\n');
            findings.forEach(f -> out.append("  ").append(line(f, run.target())).append('\n'));
        });

        appendPlan(out, run);
        run.refused().ifPresent(why -> out.append("\nRepair refused: ").append(why).append('\n'));
        run.repair().ifPresent(result -> appendResult(out, result));
        return out.toString();
    }

    /** {@code - <kind title>: <user> — <detail> → <action>}, leaving out what a finding does not have. */
    static String line(Finding f, String target) {
        StringBuilder line = new StringBuilder("- ").append(Wording.title(f.kind(), target)).append(':');
        if (f.user() != null) {
            line.append(' ').append(f.user());
        }
        if (f.detail() != null) {
            line.append(f.user() != null ? " — " : " ").append(f.detail());
        }
        if (f.action() != null) {
            line.append(" → ").append(f.action());
        }
        return line.toString();
    }

    /** A dry run and a refused repair list the actions; a plain check only says how many there are. */
    private static void appendPlan(StringBuilder out, CheckRun run) {
        List<RepairAction> actions = run.plan().actions();
        if (actions.isEmpty() || run.repair().isPresent()) {
            return;
        }
        if (run.refused().isEmpty() && !"dry-run".equals(run.mode())) {
            out.append('\n').append(actions.size()).append(actions.size() == 1 ? " repair action" : " repair actions")
                    .append(" planned (--repair --dry-run lists them, --repair applies them)\n");
            return;
        }
        out.append('\n').append(run.refused().isPresent() ? "Repair plan (not applied)" : "Repair plan (dry run: nothing changed)")
                .append('\n');
        actions.forEach(a -> out.append("  - ").append(a.group().name()).append(": ").append(Wording.describe(a, run.target())).append('\n'));
    }

    private static void appendResult(StringBuilder out, Result result) {
        out.append("\nRepair: ").append(Wording.describe(result)).append('\n');
        result.failures().forEach(f -> out.append("  failed: ").append(f).append('\n'));
    }
}
