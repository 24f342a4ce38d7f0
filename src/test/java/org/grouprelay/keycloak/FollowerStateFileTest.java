package org.grouprelay.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower's place in Keycloak's admin events and its group map survive a restart, and a damaged file is not guessed at. */
class FollowerStateFileTest {
    @TempDir
    Path dataDir;

    @Test
    void roundTripsTheStateAndReplacesItWhole() throws IOException {
        FollowerStateFile file = new FollowerStateFile(dataDir);
        assertThat(file.load()).isEmpty();
        Map<String, KeycloakGroup> groups = new LinkedHashMap<>();
        groups.put("p", new KeycloakGroup("p", "devs", null));
        groups.put("c", new KeycloakGroup("c", "back end, ünïcode", "p"));
        FollowerState state = new FollowerState(1795637249260L, Set.of("e1", "e2"), groups);
        file.save(state);
        assertThat(file.load()).contains(state);
        FollowerState later = new FollowerState(1795637249999L, Set.of("e3"), Map.of("p", new KeycloakGroup("p", "developers", null)));
        file.save(later);
        assertThat(file.load()).contains(later);
        assertThat(Files.list(dataDir)).containsExactly(file.path());
    }

    @Test
    void aDamagedFileIsAnErrorThatSaysWhatToDo() throws IOException {
        FollowerStateFile file = new FollowerStateFile(dataDir);
        Files.writeString(file.path(), "{\"version\":1,\"lastTime\":");
        assertThatThrownBy(file::load).isInstanceOf(IOException.class).hasMessageContaining("is damaged")
                .hasMessageContaining("move it aside");
        Files.writeString(file.path(), "{\"version\":9}");
        assertThatThrownBy(file::load).hasMessageContaining("has version 9");
    }
}
