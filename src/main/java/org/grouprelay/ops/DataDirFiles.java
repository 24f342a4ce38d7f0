package org.grouprelay.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.grouprelay.relay.Outcome;
import org.grouprelay.relay.PendingLine;

/**
 * Reads, never writes, what the relay keeps in {@code dataDir}: the pending members journal and the
 * tail of the audit log. Safe beside a running {@code serve}; a torn last line is skipped.
 */
public final class DataDirFiles {
    /** How much of the audit log's end is searched for the last error. */
    static final int AUDIT_TAIL_BYTES = 256 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final Path dataDir;
    private final Optional<Path> auditLog;

    public DataDirFiles(Path dataDir, Optional<Path> auditLog) {
        this.dataDir = dataDir;
        this.auditLog = auditLog;
    }

    /** The members still pending (the relay's own journal, read only). */
    public StatusReport.Pending pending() throws IOException {
        PendingLine.Summary summary = PendingLine.summary(dataDir);
        return new StatusReport.Pending(summary.members(), summary.users());
    }

    /** The latest audit line whose outcome is failed, queued, retrying (n) or refused, if any. */
    public Optional<StatusReport.LastError> lastError() throws IOException {
        if (auditLog.isEmpty() || !Files.isRegularFile(auditLog.get())) {
            return Optional.empty();
        }
        List<String> lines = tail(auditLog.get());
        for (int i = lines.size() - 1; i >= 0; i--) {
            Optional<JsonNode> node = parse(lines.get(i));
            String outcome = node.map(n -> n.path("outcome").asText()).orElse("");
            if (Outcome.of(outcome).filter(Outcome::isProblem).isPresent()) {
                JsonNode n = node.get();
                return Optional.of(new StatusReport.LastError(n.path("time").asText(), outcome, n.path("change").asText(null),
                        n.path("group").asText(null), n.path("user").asText(null), n.path("reason").asText(null)));
            }
        }
        return Optional.empty();
    }

    /** The complete lines in the last {@link #AUDIT_TAIL_BYTES} of {@code file}. */
    private static List<String> tail(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(0, length - AUDIT_TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            return from > 0 && !lines.isEmpty() ? lines.subList(1, lines.size()) : lines; // the first may be cut
        }
    }

    private Optional<JsonNode> parse(String line) {
        try {
            return line.isBlank() ? Optional.empty() : Optional.of(json.readTree(line));
        } catch (IOException e) {
            return Optional.empty(); // a torn line after a crash; the relay reports it when it reads the file
        }
    }
}
