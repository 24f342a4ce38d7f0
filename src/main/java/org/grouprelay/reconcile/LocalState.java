package org.grouprelay.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.grouprelay.relay.OutboxLine;
import org.grouprelay.relay.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the relay left in {@code dataDir} that a check reports: the outbox backlog, permanent failures
 * in the audit log since the last check, and the last check's result ({@code check-status.json}).
 * Read only, so {@code check} can run beside a running {@code serve}.
 */
public final class LocalState {
    private final ObjectMapper json = new ObjectMapper();
    private final Path dataDir;
    private final Path auditLog;
    private final java.time.Clock clock;

    public LocalState(Path dataDir, Path auditLog, java.time.Clock clock) {
        this.dataDir = dataDir;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    List<Finding> findings() throws IOException {
        List<Finding> findings = new ArrayList<>();
        OutboxLine.Backlog backlog = backlog();
        if (backlog.depth() > 0) {
            findings.add(new Finding(Finding.Kind.OUTBOX_BACKLOG, null, null, backlog.depth() + " change(s) waiting, oldest queued "
                    + backlog.oldest().map(o -> Duration.between(o, clock.instant()).toSeconds() + " s ago").orElse("?"),
                    "check that Seafile's database is reachable; the relay retries on its own"));
        }
        Instant since = lastRun().map(LastRun::instant).orElse(Instant.EPOCH);
        if (Files.isRegularFile(auditLog)) {
            try (var lines = Files.lines(auditLog)) {
                lines.map(this::parse).flatMap(Optional::stream)
                        .filter(n -> Outcome.FAILED.label().equals(n.path("outcome").asText()) && Instant.parse(n.path("time").asText()).isAfter(since))
                        .forEach(n -> findings.add(new Finding(Finding.Kind.RELAY_FAILURE, n.path("group").asText(null),
                                n.path("user").asText(null), n.path("change").asText() + " failed: " + n.path("reason").asText(),
                                "see the audit log; repair re-applies what the directory says")));
            }
        }
        return findings;
    }

    /** Changes waiting in the relay's outbox. */
    public OutboxLine.Backlog backlog() throws IOException {
        return OutboxLine.backlog(dataDir);
    }

    /** The last check: when, whether in sync, how many drift findings. */
    public record LastRun(String time, boolean inSync, int driftFindings, String mode) {
        public Instant instant() {
            return Instant.parse(time);
        }
    }

    public Optional<LastRun> lastRun() {
        Path file = dataDir.resolve("check-status.json");
        try {
            return Files.isRegularFile(file) ? Optional.of(json.readValue(file.toFile(), LastRun.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void recordRun(Plan plan, String mode) throws IOException {
        Files.createDirectories(dataDir);
        int drift = (int) plan.findings().stream().filter(f -> f.kind().drift()).count();
        Path temporary = dataDir.resolve("check-status.json.tmp");
        json.writeValue(temporary.toFile(), new LastRun(plan.checkedAt().toString(), plan.inSync(), drift, mode));
        Files.move(temporary, dataDir.resolve("check-status.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Optional<JsonNode> parse(String line) {
        try {
            return line.isBlank() ? Optional.empty() : Optional.of(json.readTree(line));
        } catch (IOException e) {
            return Optional.empty(); // a torn line after a crash: the relay reports it when it reads the file
        }
    }
}
