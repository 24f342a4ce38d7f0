package org.grouprelay.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code dataDir/keycloak-events.json}: the follower's {@link FollowerState}, replaced atomically after
 * every applied event, so a restart of grouprelay or of Keycloak resumes after the last one.
 */
final class FollowerStateFile {
    static final String NAME = "keycloak-events.json";
    private static final int VERSION = 1;

    private final Path file;

    FollowerStateFile(Path dataDir) {
        this.file = dataDir.resolve(NAME);
    }

    Path path() {
        return file;
    }

    Optional<FollowerState> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = KeycloakHttp.json().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " is damaged (" + e.getMessage() + "); move it aside to start following from Keycloak's current groups", e);
        }
        if (root.path("version").asInt() != VERSION) {
            throw new IOException(file + " has version " + root.path("version") + ", this grouprelay reads version " + VERSION);
        }
        Set<String> applied = new LinkedHashSet<>();
        root.path("appliedAtLastTime").forEach(n -> applied.add(n.asText()));
        Map<String, KeycloakGroup> groups = new LinkedHashMap<>();
        root.path("groups").forEach(n -> groups.put(n.path("id").asText(),
                new KeycloakGroup(n.path("id").asText(), n.path("name").asText(), n.hasNonNull("parentId") ? n.path("parentId").asText() : null)));
        return Optional.of(new FollowerState(root.path("lastTime").asLong(), applied, groups));
    }

    void save(FollowerState state) throws IOException {
        ObjectNode root = KeycloakHttp.json().createObjectNode();
        root.put("version", VERSION);
        root.put("lastTime", state.lastTime());
        ArrayNode applied = root.putArray("appliedAtLastTime");
        state.appliedAtLastTime().forEach(applied::add);
        ArrayNode groups = root.putArray("groups");
        for (KeycloakGroup g : state.groups().values()) {
            ObjectNode node = groups.addObject();
            node.put("id", g.id());
            node.put("name", g.name());
            node.put("parentId", g.parentId());
        }
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Files.write(tmp, KeycloakHttp.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
