package org.grouprelay.relay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.change.GroupChange;
import org.grouprelay.change.Origin;

/**
 * One line of {@code outbox.jsonl}: a change with its origin ({@code intent}: written before the
 * directory writes; {@code queued}: the directory has it), or a mark on change {@code seq}
 * ({@code committed}, {@code aborted}, {@code done}). The file's one reader and writer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutboxLine(long seq, State state, Origin origin, GroupChange change, String queuedAt) {
    /** The outbox file in a data directory. */
    public static final String FILE = "outbox.jsonl";

    public enum State {
        @JsonProperty("intent") INTENT,
        @JsonProperty("queued") QUEUED,
        @JsonProperty("committed") COMMITTED,
        @JsonProperty("aborted") ABORTED,
        @JsonProperty("done") DONE
    }

    static OutboxLine intent(long seq, Origin origin, GroupChange change, String queuedAt) {
        return new OutboxLine(seq, State.INTENT, origin, change, queuedAt);
    }

    static OutboxLine queued(long seq, Origin origin, GroupChange change, String queuedAt) {
        return new OutboxLine(seq, State.QUEUED, origin, change, queuedAt);
    }

    static OutboxLine mark(long seq, State state) {
        return new OutboxLine(seq, state, null, null, null);
    }

    /**
     * The changes still open after replaying {@code lines}, in order: queued ones, and intents the
     * directory committed (as queued) or whose fate is unknown (as intents).
     */
    static List<OutboxLine> open(List<OutboxLine> lines) {
        Map<Long, OutboxLine> open = new LinkedHashMap<>();
        for (OutboxLine line : lines) {
            switch (line.state()) {
                case INTENT, QUEUED -> {
                    if (line.change() != null) {
                        open.put(line.seq(), line);
                    }
                }
                case COMMITTED -> open.computeIfPresent(line.seq(),
                        (seq, intent) -> queued(seq, intent.origin(), intent.change(), intent.queuedAt()));
                case ABORTED, DONE -> open.remove(line.seq());
            }
        }
        return new ArrayList<>(open.values());
    }

    /** What a reader beside a running relay sees: how many changes wait, and since when. */
    public record Backlog(int depth, Optional<Instant> oldest) {
    }

    /** The backlog of the outbox in {@code dataDir}, read only (a damaged line is skipped). */
    public static Backlog backlog(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new Backlog(0, Optional.empty());
        }
        List<OutboxLine> open = open(Journal.readOnly(file, OutboxLine.class, new ObjectMapper()));
        return new Backlog(open.size(), open.stream().map(l -> Instant.parse(l.queuedAt())).min(Instant::compareTo));
    }
}
