package org.grouprelay.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.grouprelay.reconcile.LocalState;
import org.grouprelay.relay.OutboxLine;

/**
 * What {@code grouprelay status} prints and {@code /health} answers: the same facts and the same
 * verdict. {@code problems} make it unhealthy (exit 1, HTTP 503); {@code warnings} do not.
 *
 * <p>JSON schema version 2: {@code version, time, healthy, problems[], warnings[], directory{up, detail, millis},
 * targets[{name, kind, probe{up, detail, millis}, outbox{depth, oldestQueuedAt, oldestAgeSeconds}, pending{members, users},
 * lastCheck{time, inSync, driftFindings, mode} | null, lastError{time, outcome, change, group, user, reason} | null}]}; and, as
 * in version 1, the first target's {@code seafile} (its probe), {@code outbox}, {@code pending}, {@code lastCheck} and
 * {@code lastError} at the top level ({@code null} without targets, or when it never happened).
 */
public record StatusReport(Instant time, boolean healthy, List<String> problems, List<String> warnings, Probe directory,
        List<TargetStatus> targets) {
    public static final int VERSION = 2;

    public StatusReport {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
        targets = List.copyOf(targets);
    }

    /** One reachability probe: whether it answered, what it said, how long it took. */
    public record Probe(boolean up, String detail, long millis) {
    }

    /** Memberships waiting for the user's account in the target, and how many distinct users they are. */
    public record Pending(int members, long users) {
    }

    /** The latest audit line that was not a success: failed, queued, retrying or refused. */
    public record LastError(String time, String outcome, String change, String group, String user, String reason) {
    }

    /** One target: does it answer, what waits for it, its last check and its last error. */
    public record TargetStatus(String name, String kind, Probe probe, OutboxLine.Backlog outbox, Pending pending,
            Optional<LocalState.LastRun> lastCheck, Optional<LastError> lastError) {
    }

    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode().put("version", VERSION).put("time", time.toString()).put("healthy", healthy);
        problems.forEach(root.putArray("problems")::add);
        warnings.forEach(root.putArray("warnings")::add);
        root.set("directory", probe(json, directory));
        targets.forEach(t -> {
            ObjectNode node = root.withArray("targets").addObject().put("name", t.name()).put("kind", t.kind());
            node.set("probe", probe(json, t.probe()));
            details(json, node, t);
        });
        if (targets.isEmpty()) {
            root.putArray("targets");
        }
        Optional<TargetStatus> first = targets.stream().findFirst();
        root.set("seafile", first.map(t -> probe(json, t.probe())).orElse(null));
        first.ifPresentOrElse(t -> details(json, root, t), () -> List.of("outbox", "pending", "lastCheck", "lastError").forEach(root::putNull));
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void details(ObjectMapper json, ObjectNode node, TargetStatus t) {
        OutboxLine.Backlog o = t.outbox();
        node.set("outbox", json.createObjectNode().put("depth", o.depth()).put("oldestQueuedAt", o.oldest().map(Instant::toString).orElse(null))
                .put("oldestAgeSeconds", o.oldest().map(at -> Duration.between(at, time).toSeconds()).orElse(0L)));
        node.set("pending", json.createObjectNode().put("members", t.pending().members()).put("users", t.pending().users()));
        node.set("lastCheck", t.lastCheck().map(c -> json.createObjectNode().put("time", c.time()).put("inSync", c.inSync())
                .put("driftFindings", c.driftFindings()).put("mode", c.mode())).orElse(null));
        node.set("lastError", t.lastError().map(e -> json.createObjectNode().put("time", e.time()).put("outcome", e.outcome())
                .put("change", e.change()).put("group", e.group()).put("user", e.user()).put("reason", e.reason())).orElse(null));
    }

    private static ObjectNode probe(ObjectMapper json, Probe probe) {
        return json.createObjectNode().put("up", probe.up()).put("detail", probe.detail()).put("millis", probe.millis());
    }

    public String toText() {
        StringBuilder text = new StringBuilder("grouprelay: ").append(healthy ? "healthy" : "UNHEALTHY").append(" (").append(seconds(time.toString()))
                .append(")\n");
        line(text, "directory", (directory.up() ? "up: " : "DOWN: ") + directory.detail() + " (" + directory.millis() + " ms)");
        if (targets.isEmpty()) {
            line(text, "targets", "none configured (no seafile or targets section): nothing is relayed");
        }
        for (TargetStatus t : targets) {
            String indent = targets.size() == 1 && t.kind().equals("seafile") ? "" : "  ";
            if (!indent.isEmpty()) {
                text.append("  target ").append(t.name()).append(" (").append(t.kind()).append(")\n");
            }
            Probe p = t.probe();
            line(text, indent + (indent.isEmpty() ? "Seafile" : "answers"), (p.up() ? "up: " : "DOWN: ") + p.detail() + " (" + p.millis() + " ms)");
            OutboxLine.Backlog o = t.outbox();
            line(text, indent + "outbox", o.depth() == 0 ? "empty"
                    : o.depth() + " change(s) waiting, the oldest for " + o.oldest().map(at -> Duration.between(at, time).toSeconds()).orElse(0L) + " s");
            line(text, indent + "pending", t.pending().members() == 0 ? "none"
                    : t.pending().members() + " membership(s) of " + t.pending().users() + " user(s) wait for "
                            + (t.kind().equals("seafile") ? "a first Seafile login" : "their account"));
            line(text, indent + "last check", t.lastCheck().map(c -> seconds(c.time()) + ": " + (c.inSync() ? "in sync" : c.driftFindings()
                    + " drift finding(s)") + " (" + c.mode() + ")").orElse("none yet"));
            line(text, indent + "last error", t.lastError().map(e -> seconds(e.time()) + " " + e.outcome() + ": " + e.change() + " " + e.group()
                    + (e.user() == null ? "" : " " + e.user()) + (e.reason() == null ? "" : ": " + e.reason())).orElse("none in the audit log"));
        }
        problems.forEach(p -> text.append("problem: ").append(p).append('\n'));
        warnings.forEach(w -> text.append("warning: ").append(w).append('\n'));
        return text.toString();
    }

    /** An ISO instant to the second, for people; anything else as it is. */
    private static String seconds(String instant) {
        try {
            return Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return instant;
        }
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append("  ").append(String.format("%-11s", label)).append(' ').append(value).append('\n');
    }
}
