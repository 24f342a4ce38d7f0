package org.grouprelay.targets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.config.Secret;
import org.grouprelay.targets.seafile.api.ApiSettings;
import org.grouprelay.targets.seafile.api.ApiTarget;
import org.grouprelay.testing.FakeSeafile;
import org.grouprelay.testing.TempFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The target behaviour suite against the API target and the fake Seafile, which enforces the admin API's rules. */
class ApiTargetBehaviourIT extends TargetBehaviour {
    static FakeSeafile seafile;
    static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        seafile = FakeSeafile.start();
        dataDir = Files.createTempDirectory("grouprelay-api-");
    }

    @AfterAll
    static void stop() {
        seafile.close();
        TempFiles.deleteRecursively(dataDir);
    }

    static ApiSettings settings(String url, Path dataDir) {
        return new ApiSettings(url, Optional.of(new Secret(FakeSeafile.TOKEN)), Optional.empty(), Optional.empty(), Duration.ofSeconds(5),
                1000, Optional.empty(), dataDir.resolve(ApiSettings.LINK_FILE));
    }

    @Override
    Target target(boolean adopt) {
        return new ApiTarget(settings(seafile.url(), dataDir), CREATOR, adopt, Clock.systemUTC());
    }

    @Override
    void resetSeafile() {
        seafile.calm();
        seafile.state().clear();
        for (String user : List.of(CREATOR, "alice@example.org", "bob@example.org", "carol@example.org")) {
            seafile.state().addUser(user, null);
        }
        try {
            Files.deleteIfExists(dataDir.resolve(ApiSettings.LINK_FILE));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    void addAccount(String id, String contactEmail) {
        seafile.state().addUser(id, contactEmail);
    }

    @Override
    void addSocialAuth(String id, String provider, String uid) {
        seafile.state().addSocialAuth(id, provider, uid);
    }

    @Override
    List<String> members(String seafileId) {
        long groupId = Long.parseLong(seafileId);
        return seafile.state().members(groupId).stream().sorted().toList();
    }

    @Override
    org.grouprelay.mapping.UserLookup lookup(Target target) {
        return ((org.grouprelay.targets.seafile.api.ApiTarget) target).users();
    }

    @Override
    Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        seafile.state().groups().forEach(g -> groups.put(String.valueOf(g.id()), g.name()));
        return groups;
    }

    @Override
    String createGroupByHand(String name, String owner, String... members) {
        long id = seafile.state().createByHand(name, owner);
        for (String member : members) {
            seafile.state().addMemberByHand(id, member);
        }
        return String.valueOf(id);
    }

    @Override
    void deleteGroupByHand(String seafileId) {
        long groupId = Long.parseLong(seafileId);
        seafile.state().delete(groupId);
    }

    @Override
    void makeOwnerByHand(String seafileId, String id) {
        long groupId = Long.parseLong(seafileId);
        seafile.state().transferByHand(groupId, id);
    }
}
