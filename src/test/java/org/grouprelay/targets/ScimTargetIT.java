package org.grouprelay.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.targets.TargetBehaviour.DEVS;
import static org.grouprelay.targets.TargetBehaviour.OPS;
import static org.grouprelay.targets.TargetBehaviour.ensure;
import static org.grouprelay.targets.TargetBehaviour.in;
import static org.grouprelay.targets.TargetBehaviour.linked;
import static org.grouprelay.targets.TargetBehaviour.run;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;
import org.grouprelay.config.RelayMode;
import org.grouprelay.testing.scim.ScimProfile;
import org.grouprelay.testing.scim.ScimServer;
import org.grouprelay.testing.scim.ScimTargets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cases of the Seafile targets' behaviour suite ({@link TargetBehaviour}) whose behaviour is the same for a SCIM
 * application, run against the SCIM SDK server (strict profile): every operation applied twice leaves the same state,
 * groups not linked are never touched, a rollback undoes a session, a group deleted by hand is re-created, and the snapshot
 * holds every link. (Owner rows and Seafile's mapping strategies have no SCIM counterpart.)
 */
class ScimTargetIT {
    @TempDir
    Path dataDir;
    ScimServer scim;
    Target target;
    Map<String, String> ids;

    @BeforeEach
    void start() throws Exception {
        scim = ScimServer.start(ScimProfile.STRICT);
        target = Targets.open(ScimTargets.of("apps", scim, dataDir, RelayMode.RELAY, Duration.ofSeconds(5)), dataDir, Clock.systemUTC());
        target.prepare();
        List<UserRef> users = List.of(user("alice"), user("bob"), user("carol"));
        ids = target.accounts().provision(users).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().attribute("uid").orElseThrow(), Map.Entry::getValue));
    }

    @AfterEach
    void stop() {
        target.close();
        scim.close();
    }

    static UserRef user(String uid) {
        return new UserRef("uid=" + uid + ",ou=people,dc=example,dc=org", Map.of("uid", uid, "mail", uid + "@example.org",
                "entryuuid", java.util.UUID.nameUUIDFromBytes(uid.getBytes()).toString()));
    }

    Set<String> members(String groupId) {
        return scim.groups().stream().filter(g -> g.id().equals(groupId)).findFirst().orElseThrow().memberIds();
    }

    Set<String> of(String... names) {
        return java.util.Arrays.stream(names).map(ids::get).collect(Collectors.toSet());
    }

    @Test
    void applyingEveryOperationTwiceLeavesTheSameState() throws Exception {
        String id = in(target, s -> s.ensureGroup(DEVS).groupId());
        run(target, s -> s.addMembers(id, List.of(ids.get("alice"), ids.get("bob"))));
        assertThat(ensure(target, DEVS)).isEqualTo(new Target.GroupLink(id, Target.GroupLink.How.EXISTING));
        run(target, s -> s.addMembers(id, List.of(ids.get("alice"), ids.get("bob"))));
        assertThat(members(id)).isEqualTo(of("alice", "bob"));
        run(target, s -> s.removeMembers(id, List.of(ids.get("bob"))));
        run(target, s -> s.removeMembers(id, List.of(ids.get("bob"))));
        assertThat(members(id)).isEqualTo(of("alice"));
        GroupRef renamed = new GroupRef(DEVS.uuid(), DEVS.dn(), "developers");
        run(target, s -> s.renameGroup(id, renamed));
        run(target, s -> s.renameGroup(id, renamed));
        assertThat(scim.groupByDisplayName("developers")).isPresent();
        run(target, s -> s.deleteGroup(DEVS));
        run(target, s -> s.deleteGroup(DEVS));
        assertThat(scim.groups()).isEmpty();
        assertThat(linked(target, DEVS)).isEmpty();
        assertThat(scim.violations()).isEmpty();
    }

    @Test
    void groupsThatAreNotLinkedAreNeverTouched() throws Exception {
        ScimServer.ScimGroup foreign = scim.createGroupByHand("sales");
        String id = in(target, s -> s.ensureGroup(DEVS).groupId());
        run(target, s -> {
            s.addMembers(id, List.of(ids.get("alice")));
            s.deleteGroup(OPS);
        });
        assertThat(target.snapshot().links()).containsOnlyKeys(DEVS.uuid());
        assertThat(scim.groups()).anySatisfy(g -> assertThat(g.id()).isEqualTo(foreign.id()));
    }

    @Test
    void rollbackUndoesTheSessionsCalls() throws Exception {
        String id = in(target, s -> s.ensureGroup(DEVS).groupId());
        run(target, s -> s.addMembers(id, List.of(ids.get("alice"))));
        try (Target.Session session = target.begin()) {
            session.addMembers(id, List.of(ids.get("bob")));
            session.removeMembers(id, List.of(ids.get("alice")));
            String ops = session.ensureGroup(OPS).groupId();
            session.addMembers(ops, List.of(ids.get("carol")));
            session.rollback();
        }
        assertThat(members(id)).isEqualTo(of("alice"));
        assertThat(scim.groups()).singleElement().satisfies(g -> assertThat(g.id()).isEqualTo(id));
        assertThat(linked(target, OPS)).isEmpty();
    }

    @Test
    void aGroupDeletedByHandIsCreatedAgainByTheNextAttempt() throws Exception {
        String id = in(target, s -> s.ensureGroup(DEVS).groupId());
        scim.deleteGroupByHand(id);
        String again = TargetBehaviour.addWithRetry(target, DEVS, List.of(ids.get("bob")));
        assertThat(again).isNotEqualTo(id);
        assertThat(members(again)).isEqualTo(of("bob"));
    }

    @Test
    void aUserDeletedInTheApplicationIsCreatedAgainByTheNextAttempt() throws Exception {
        String id = in(target, s -> s.ensureGroup(DEVS).groupId());
        String gone = ids.get("alice");
        scim.deleteUserByHand(gone);
        TargetException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> run(target, s -> s.addMembers(id, List.of(gone))), TargetException.class);
        assertThat(refused.isTransient()).isTrue();
        // the relay's next try maps the users again: alice gets a new SCIM user
        String again = target.accounts().provision(List.of(user("alice"))).values().iterator().next();
        assertThat(again).isNotEqualTo(gone);
        run(target, s -> s.addMembers(id, List.of(again)));
        assertThat(members(id)).containsExactly(again);
        assertThat(scim.userByUserName("alice")).get().extracting(ScimServer.ScimUser::id).isEqualTo(again);
    }

    @Test
    void theSnapshotHoldsEveryLinkAndWhatIsGone() throws Exception {
        List<GroupRef> refs = java.util.stream.IntStream.range(0, 30)
                .mapToObj(i -> TargetBehaviour.group(String.format("00000000-0000-4000-8000-%012d", i), "team-" + i)).toList();
        List<String> groupIds = new java.util.ArrayList<>();
        for (GroupRef ref : refs) {
            groupIds.add(in(target, s -> s.ensureGroup(ref).groupId()));
        }
        run(target, s -> s.addMembers(groupIds.get(0), List.copyOf(ids.values())));
        scim.deleteGroupByHand(groupIds.get(7));
        Snapshot snapshot = target.snapshot();
        assertThat(snapshot.links()).hasSize(30);
        assertThat(snapshot.links().get(refs.get(0).uuid()).name()).contains("team-0");
        assertThat(snapshot.members().get(groupIds.get(0))).isEqualTo(of("alice", "bob", "carol"));
        assertThat(snapshot.links().get(refs.get(7).uuid()).exists()).isFalse();
        assertThat(dataDir.resolve("targets/apps/scim-links.json")).isRegularFile();
    }
}
