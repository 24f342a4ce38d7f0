package org.grouprelay.expiry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code dataDir/expiry-notices.json}: which notices went out (a membership and its end, so a renewal gets a notice
 * of its own) and the day of the last digest, replaced atomically after each change so a restart sends nothing twice.
 */
final class NoticeState {
    static final String NAME = "expiry-notices.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Set<String> sent = new LinkedHashSet<>();
    private Optional<String> lastDigest = Optional.empty();

    private NoticeState(Path file) {
        this.file = file;
    }

    static NoticeState load(Path dataDir) throws IOException {
        NoticeState state = new NoticeState(dataDir.resolve(NAME));
        if (Files.exists(state.file)) {
            JsonNode root;
            try {
                root = JSON.readTree(state.file.toFile());
            } catch (IOException e) {
                throw new IOException(state.file + " is damaged (" + e.getMessage() + "); move it aside (notices not yet due are sent again)", e);
            }
            root.path("sent").forEach(n -> state.sent.add(n.asText()));
            if (root.hasNonNull("lastDigest")) {
                state.lastDigest = Optional.of(root.path("lastDigest").asText());
            }
        }
        return state;
    }

    boolean sent(String key) {
        return sent.contains(key);
    }

    void markSent(String key) throws IOException {
        if (sent.add(key)) {
            save();
        }
    }

    Optional<String> lastDigest() {
        return lastDigest;
    }

    void digestSent(String day) throws IOException {
        lastDigest = Optional.of(day);
        save();
    }

    /** Forgets notices of memberships that are gone or renewed (keys not in {@code current}). */
    void keepOnly(Set<String> current) throws IOException {
        if (sent.retainAll(current)) {
            save();
        }
    }

    private void save() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.putArray("sent").addAll(sent.stream().map(JSON.getNodeFactory()::textNode).toList());
        lastDigest.ifPresent(d -> root.put("lastDigest", d));
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
