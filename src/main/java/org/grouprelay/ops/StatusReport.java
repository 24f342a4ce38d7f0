package org.grouprelay.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.grouprelay.reconcile.LocalState;

/**
 * What {@code grouprelay status} prints and {@code /health} answers: the same facts and the same
 * verdict. {@code problems} make it unhealthy (exit 1, HTTP 503); {@code warnings} do not.
 *
 * <p>JSON schema version 1: {@code version, time, healthy, problems[], warnings[], directory{up, detail,
 * millis}, seafile{up, detail, millis} | null, outbox{depth, oldestQueuedAt, oldestAgeSeconds} | null,
 * pending{members, users} | null, lastCheck{time, inSync, driftFindings, mode} | null,
 * lastError{time, outcome, change, group, user, reason} | null}. {@code null} means "not configured"
 * (no seafile section) or "never happened".
 */
public record StatusReport(Instant time, boolean healthy, List<String> problems, List<String> warnings, Probe directory,
        Optional<Probe> seafile, Optional<org.grouprelay.relay.OutboxLine.Backlog> outbox, Optional<Pending> pending, Optional<LocalState.LastRun> lastCheck,
        Optional<LastError> lastError) {
    public static final int VERSION = 1;

    public StatusReport {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** One reachability probe: whether it answered, what it said, how long it took. */
    public record Probe(boolean up, String detail, long millis) {
    }

    /** Memberships waiting for a first Seafile login, and how many distinct users they are. */
    public record Pending(int members, long users) {
    }

    /** The latest audit line that was not a success: failed, queued, retrying or refused. */
    public record LastError(String time, String outcome, String change, String group, String user, String reason) {
    }

    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode().put("version", VERSION).put("time", time.toString()).put("healthy", healthy);
        problems.forEach(root.putArray("problems")::add);
        warnings.forEach(root.putArray("warnings")::add);
        root.set("directory", probe(json, directory));
        root.set("seafile", seafile.map(p -> probe(json, p)).orElse(null));
        root.set("outbox", outbox.map(o -> json.createObjectNode().put("depth", o.depth())
                .put("oldestQueuedAt", o.oldest().map(Instant::toString).orElse(null))
                .put("oldestAgeSeconds", o.oldest().map(t -> Duration.between(t, time).toSeconds()).orElse(0L))).orElse(null));
        root.set("pending", pending.map(p -> json.createObjectNode().put("members", p.members()).put("users", p.users())).orElse(null));
        root.set("lastCheck", lastCheck.map(c -> json.createObjectNode().put("time", c.time()).put("inSync", c.inSync())
                .put("driftFindings", c.driftFindings()).put("mode", c.mode())).orElse(null));
        root.set("lastError", lastError.map(e -> json.createObjectNode().put("time", e.time()).put("outcome", e.outcome())
                .put("change", e.change()).put("group", e.group()).put("user", e.user()).put("reason", e.reason())).orElse(null));
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode probe(ObjectMapper json, Probe probe) {
        return json.createObjectNode().put("up", probe.up()).put("detail", probe.detail()).put("millis", probe.millis());
    }

    public String toText() {
        StringBuilder text = new StringBuilder("grouprelay: ").append(healthy ? "healthy" : "UNHEALTHY").append(" (").append(seconds(time.toString()))
                .append(")\n");
        line(text, "directory", (directory.up() ? "up: " : "DOWN: ") + directory.detail() + " (" + directory.millis() + " ms)");
        line(text, "Seafile", seafile.map(p -> (p.up() ? "up: " : "DOWN: ") + p.detail() + " (" + p.millis() + " ms)")
                .orElse("not configured (no seafile section): nothing is relayed"));
        outbox.ifPresent(o -> line(text, "outbox", o.depth() == 0 ? "empty"
                : o.depth() + " change(s) waiting, the oldest for " + o.oldest().map(t -> Duration.between(t, time).toSeconds()).orElse(0L) + " s"));
        pending.ifPresent(p -> line(text, "pending", p.members() == 0 ? "none"
                : p.members() + " membership(s) of " + p.users() + " user(s) wait for a first Seafile login"));
        line(text, "last check", lastCheck.map(c -> seconds(c.time()) + ": " + (c.inSync() ? "in sync" : c.driftFindings() + " drift finding(s)")
                + " (" + c.mode() + ")").orElse("none yet"));
        line(text, "last error", lastError.map(e -> seconds(e.time()) + " " + e.outcome() + ": " + e.change() + " " + e.group()
                + (e.user() == null ? "" : " " + e.user()) + (e.reason() == null ? "" : ": " + e.reason())).orElse("none in the audit log"));
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
