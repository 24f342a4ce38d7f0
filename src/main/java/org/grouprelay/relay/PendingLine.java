package org.grouprelay.relay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;

/**
 * One line of {@code pending.jsonl}: a membership that waits for the user's account in the target
 * ({@code pending}), or the end of that wait ({@code done}). The file's one reader and writer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingLine(State state, GroupRef group, UserRef user) {
    /** The pending members journal in a data directory. */
    public static final String FILE = "pending.jsonl";

    public enum State {
        @JsonProperty("pending") PENDING,
        @JsonProperty("done") DONE
    }

    /** The members still pending after replaying {@code lines}, by group and user. */
    static Map<String, PendingLine> open(List<PendingLine> lines) {
        Map<String, PendingLine> open = new LinkedHashMap<>();
        for (PendingLine line : lines) {
            if (line.state() == State.PENDING) {
                open.put(line.key(), line);
            } else {
                open.remove(line.key());
            }
        }
        return open;
    }

    String key() {
        return key(group, user);
    }

    static String key(GroupRef group, UserRef user) {
        return group.uuid() + "|" + user.dn().toLowerCase(Locale.ROOT);
    }

    /** How many memberships wait, and for how many distinct users. */
    public record Summary(int members, long users) {
    }

    /** The pending members of the journal in {@code dataDir}, read only (a damaged line is skipped). */
    public static Summary summary(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new Summary(0, 0);
        }
        Map<String, PendingLine> open = open(Journal.readOnly(file, PendingLine.class, new ObjectMapper()));
        return new Summary(open.size(), open.values().stream().map(l -> l.user().dn().toLowerCase(Locale.ROOT)).distinct().count());
    }
}
