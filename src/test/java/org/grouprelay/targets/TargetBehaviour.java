package org.grouprelay.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.grouprelay.change.GroupRef;
import org.grouprelay.change.UserRef;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.mapping.UserMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every Seafile target does, whatever it writes through: the same test cases run against the
 * SQL target (real MariaDB) and the API target (the fake Seafile that enforces the admin API's
 * rules), and assert on Seafile's resulting state, so the two cannot drift apart.
 */
abstract class TargetBehaviour {
    static final String CREATOR = "admin@example.org";
    static final GroupRef DEVS = group("0b7e5f6a-1c2d-4e3f-8a9b-0c1d2e3f4a5b", "devs");
    static final GroupRef OPS = group("1c8f6a7b-2d3e-4f5a-9b0c-1d2e3f4a5b6c", "ops");

    // --- the target under test and Seafile's state as Seafile itself holds it ---

    abstract Target target(boolean adopt);

    /** The Seafile target's account lookups (the mapping chain's batch queries). */
    abstract org.grouprelay.mapping.UserLookup lookup(Target target);

    /** Empties Seafile (and the target's links) and creates the accounts {@code admin}, alice, bob, carol. */
    abstract void resetSeafile();

    abstract void addAccount(String id, String contactEmail);

    abstract void addSocialAuth(String id, String provider, String uid);

    /** Sorted, lower-cased member ids of the group. */
    abstract List<String> members(String groupId);

    /** Group id → name, of every Seafile group. */
    abstract Map<String, String> groups();

    abstract String createGroupByHand(String name, String owner, String... members);

    abstract void deleteGroupByHand(String groupId);

    abstract void makeOwnerByHand(String groupId, String id);

    static GroupRef group(String uuid, String name) {
        return new GroupRef(uuid, "cn=" + name + ",ou=groups,dc=example,dc=org", name);
    }

    @FunctionalInterface
    interface Work<T> {
        T apply(Target.Session session) throws Exception;
    }

    /** One committed unit of work, as the relay runs it. */
    static <T> T in(Target target, Work<T> work) throws Exception {
        try (Target.Session session = target.begin()) {
            T result = work.apply(session);
            session.commit();
            return result;
        }
    }

    static Target.GroupLink ensure(Target target, GroupRef group) throws Exception {
        return in(target, s -> s.ensureGroup(group));
    }

    static java.util.Optional<String> linked(Target target, GroupRef group) throws Exception {
        return in(target, s -> s.linkedGroup(group));
    }

    @FunctionalInterface
    interface VoidWork {
        void apply(Target.Session session) throws Exception;
    }

    /** One committed unit of work whose result, if any, does not matter. */
    static void run(Target target, VoidWork work) throws Exception {
        in(target, s -> {
            work.apply(s);
            return null;
        });
    }

    @BeforeEach
    void reset() {
        resetSeafile();
    }

    @Test
    void applyingEveryOperationTwiceLeavesTheSameState() throws Exception {
        try (Target target = target(false)) {
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            run(target, s -> s.addMembers(id, List.of("Alice@Example.org", "bob@example.org")));
            assertThat(ensure(target, DEVS)).isEqualTo(new Target.GroupLink(id, Target.GroupLink.How.EXISTING));
            run(target, s -> s.addMembers(id, List.of("alice@example.org", "BOB@example.org")));
            assertThat(members(id)).containsExactly("admin@example.org", "alice@example.org", "bob@example.org");

            run(target, s -> s.removeMembers(id, List.of("bob@example.org")));
            run(target, s -> s.removeMembers(id, List.of("bob@example.org")));
            assertThat(members(id)).containsExactly("admin@example.org", "alice@example.org");

            GroupRef renamed = new GroupRef(DEVS.uuid(), DEVS.dn(), "developers");
            run(target, s -> s.renameGroup(id, renamed));
            run(target, s -> s.renameGroup(id, renamed));
            assertThat(groups()).containsExactly(Map.entry(id, "developers"));

            run(target, s -> s.deleteGroup(DEVS));
            run(target, s -> s.deleteGroup(DEVS));
            assertThat(groups()).isEmpty();
            assertThat(linked(target, DEVS)).isEmpty();
        }
    }

    @Test
    void theGroupOwnerIsKeptAndReportedWhenRemoved() throws Exception {
        try (Target target = target(false)) {
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            run(target, s -> s.addMembers(id, List.of("admin@example.org", "alice@example.org", "bob@example.org")));
            Target.RemoveResult result = in(target, s -> s.removeMembers(id, List.of("admin@example.org", "alice@example.org")));
            assertThat(result.keptOwners()).containsExactly("admin@example.org");
            assertThat(members(id)).containsExactly("admin@example.org", "bob@example.org");

            makeOwnerByHand(id, "bob@example.org"); // ownership moved in Seafile's UI
            result = in(target, s -> s.removeMembers(id, List.of("bob@example.org")));
            assertThat(result.keptOwners()).containsExactly("bob@example.org");
            assertThat(members(id)).contains("bob@example.org");
        }
    }

    @Test
    void aGroupDeletedInSeafileByHandIsRecreatedAndRelinked() throws Exception {
        String id;
        try (Target target = target(false)) {
            id = in(target, s -> s.ensureGroup(DEVS).groupId());
        }
        deleteGroupByHand(id); // while grouprelay was stopped
        try (Target target = target(false)) {
            assertThat(linked(target, DEVS)).isEmpty();
            Target.GroupLink link = ensure(target, DEVS);
            assertThat(link.how()).isEqualTo(Target.GroupLink.How.RECREATED);
            assertThat(link.groupId()).isNotEqualTo(id);
            assertThat(linked(target, DEVS)).contains(link.groupId());
            assertThat(groups()).containsExactly(Map.entry(link.groupId(), "devs"));
        }
    }

    @Test
    void aGroupDeletedByHandWhileTheTargetRunsIsRecreatedByTheNextAttempt() throws Exception {
        try (Target target = target(false)) {
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            run(target, s -> s.addMembers(id, List.of("alice@example.org")));
            deleteGroupByHand(id);
            String again = addWithRetry(target, DEVS, List.of("bob@example.org"));
            assertThat(again).isNotEqualTo(id);
            assertThat(members(again)).containsExactly("admin@example.org", "bob@example.org");
        }
    }

    /** As the relay does: apply, and on a transient failure try the whole change again. */
    static String addWithRetry(Target target, GroupRef group, List<String> users) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return in(target, s -> {
                    String id = s.ensureGroup(group).groupId();
                    s.addMembers(id, users);
                    return id;
                });
            } catch (TargetException e) {
                if (!e.isTransient() || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Test
    void adoptLinksAnExistingUnlinkedGroupOfTheSameName() throws Exception {
        String existing = createGroupByHand("devs", "carol@example.org", "alice@example.org");
        try (Target target = target(false)) {
            assertThat(linked(target, DEVS)).isEmpty(); // not linked: never touched without adopt
        }
        try (Target target = target(true)) {
            assertThat(ensure(target, DEVS)).isEqualTo(new Target.GroupLink(existing, Target.GroupLink.How.ADOPTED));
            assertThat(groups()).containsOnlyKeys(existing);
            assertThat(members(existing)).containsExactly("alice@example.org", "carol@example.org");
        }
    }

    @Test
    void groupsThatAreNotLinkedAreNeverTouched() throws Exception {
        String foreign = createGroupByHand("sales", "carol@example.org", "alice@example.org", "bob@example.org");
        try (Target target = target(false)) {
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            run(target, s -> {
                s.addMembers(id, List.of("alice@example.org"));
                s.removeMembers(id, List.of("bob@example.org"));
                s.deleteGroup(OPS);
            });
            assertThat(target.snapshot().links()).containsOnlyKeys(DEVS.uuid());
        }
        assertThat(groups()).containsEntry(foreign, "sales");
        assertThat(members(foreign)).containsExactly("alice@example.org", "bob@example.org", "carol@example.org");
    }

    @Test
    void rollbackLeavesSeafileAsItWas() throws Exception {
        try (Target target = target(false)) {
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            run(target, s -> s.addMembers(id, List.of("alice@example.org")));
            try (Target.Session session = target.begin()) {
                session.addMembers(id, List.of("alice@example.org", "bob@example.org"));
                session.removeMembers(id, List.of("alice@example.org"));
                String ops = session.ensureGroup(OPS).groupId();
                session.addMembers(ops, List.of("carol@example.org"));
                session.rollback();
            }
            assertThat(groups()).containsExactly(Map.entry(id, "devs"));
            assertThat(members(id)).containsExactly("admin@example.org", "alice@example.org");
            assertThat(linked(target, OPS)).isEmpty();
        }
    }

    @Test
    void theSnapshotHoldsEveryLinkAndAllMembersAcrossPages() throws Exception {
        List<String> many = IntStream.range(0, 230).mapToObj(i -> "user" + i + "@example.org").toList();
        many.forEach(u -> addAccount(u, null));
        List<GroupRef> refs = IntStream.range(0, 105).mapToObj(i -> group(String.format("00000000-0000-4000-8000-%012d", i), "team-" + i)).toList();
        try (Target target = target(false)) {
            List<String> ids = new ArrayList<>();
            for (GroupRef ref : refs) {
                ids.add(in(target, s -> s.ensureGroup(ref).groupId()));
            }
            run(target, s -> s.addMembers(ids.get(0), many));
            deleteGroupByHand(ids.get(7));

            Snapshot snapshot = target.snapshot();
            assertThat(snapshot.links()).hasSize(105);
            Snapshot.Linked first = snapshot.links().get(refs.get(0).uuid());
            assertThat(first.groupId()).isEqualTo(ids.get(0));
            assertThat(first.name()).contains("team-0");
            assertThat(first.creator()).contains(CREATOR);
            Set<String> expected = new TreeSet<>(many);
            expected.add(CREATOR);
            assertThat(snapshot.members().get(ids.get(0))).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(snapshot.links().get(refs.get(7).uuid()).exists()).isFalse();
            assertThat(snapshot.members().get(ids.get(104))).containsExactly(CREATOR);
        }
    }

    @Test
    void usersAreMappedByEmailContactEmailAndSocialAuth() throws Exception {
        addAccount("4f1c2d9e8b7a6c5d4e3f2a1b0c9d8e7f@auth.local", "vic@example.org");
        addAccount("9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d@auth.local", null);
        addSocialAuth("9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d@auth.local", "keycloak", "wendy@example.org");
        try (Target target = target(false)) {
            UserMapper mapper = new UserMapper(List.of(new MappingRule(Strategy.SOCIAL_AUTH, "keycloak", "mail"),
                    new MappingRule(Strategy.CONTACT_EMAIL, null, "mail"), new MappingRule(Strategy.EMAIL, null, "mail")), lookup(target));
            UserRef alice = user("alice", "Alice@Example.org");
            UserRef vic = user("vic", "vic@example.org");
            UserRef wendy = user("wendy", "wendy@example.org");
            UserRef nobody = user("nobody", "nobody@example.org");
            Map<UserRef, String> ids = mapper.find(List.of(alice, vic, wendy, nobody));
            assertThat(ids).containsOnly(Map.entry(alice, "alice@example.org"),
                    Map.entry(vic, "4f1c2d9e8b7a6c5d4e3f2a1b0c9d8e7f@auth.local"),
                    Map.entry(wendy, "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d@auth.local"));

            long before = target.accounts().watermark();
            addAccount("nobody@example.org", null);
            assertThat(target.accounts().watermark()).isGreaterThan(before);
            assertThat(mapper.find(List.of(nobody))).containsEntry(nobody, "nobody@example.org");
        }
    }

    static UserRef user(String uid, String mail) {
        return new UserRef("uid=" + uid + ",ou=people,dc=example,dc=org", Map.of("mail", mail, "uid", uid));
    }
}
