package org.grouprelay.capture;

import static org.apache.directory.api.ldap.model.entry.ModificationOperation.ADD_ATTRIBUTE;
import static org.apache.directory.api.ldap.model.entry.ModificationOperation.REMOVE_ATTRIBUTE;
import static org.apache.directory.api.ldap.model.entry.ModificationOperation.REPLACE_ATTRIBUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.capture.GroupFixture.PLACEHOLDER;
import static org.grouprelay.capture.GroupFixture.group;
import static org.grouprelay.capture.GroupFixture.mod;
import static org.grouprelay.capture.GroupFixture.user;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.grouprelay.membership.NestedPolicy;

/**
 * The membership delta of a modify, worked out from the changed values, against the full rebuild
 * of the effective memberships (the reference): who joins and leaves the group and its ancestors.
 */
class MembershipDeltaTest {
    GroupFixture dir;
    Set<String> unresolved;

    @BeforeEach
    void setUp() throws Exception {
        dir = new GroupFixture();
        unresolved = new LinkedHashSet<>();
    }

    /**
     * Group cn → "+uid,…" joined and "-uid,…" left, as the delta says; checked against the full
     * rebuild, both looking upwards from the candidates and comparing whole effective memberships.
     */
    Map<String, String> change(String cn, NestedPolicy policy, Modification... mods) throws Exception {
        List<MembershipDelta.Delta> delta = dir.delta(cn, List.of(mods), policy, unresolved, MembershipDelta.Way.UPWARDS);
        Set<String> downwardsUnresolved = new LinkedHashSet<>();
        List<MembershipDelta.Delta> downwards = dir.delta(cn, List.of(mods), policy, downwardsUnresolved, MembershipDelta.Way.DOWNWARDS);
        Set<String> fullUnresolved = new LinkedHashSet<>();
        List<MembershipDelta.Delta> full = dir.fullRebuild(cn, List.of(mods), policy, fullUnresolved);
        assertThat(delta).as("delta of " + cn).isEqualTo(full);
        assertThat(downwards).as("delta of " + cn + " from whole memberships").isEqualTo(full);
        assertThat(downwardsUnresolved).isEqualTo(unresolved);
        assertThat(fullUnresolved).containsAll(unresolved);
        return delta.stream().collect(Collectors.toMap(d -> d.group().dn().replaceAll(",.*", "").substring(3),
                d -> describe(d), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    Map<String, String> change(String cn, Modification... mods) throws Exception {
        return change(cn, NestedPolicy.FLATTEN, mods);
    }

    static String describe(MembershipDelta.Delta delta) {
        String joined = delta.joined().values().stream().map(MembershipDeltaTest::uid).collect(Collectors.joining(","));
        String left = delta.left().values().stream().map(MembershipDeltaTest::uid).collect(Collectors.joining(","));
        return (joined.isEmpty() ? "" : "+" + joined) + (left.isEmpty() ? "" : (joined.isEmpty() ? "" : " ") + "-" + left);
    }

    static String uid(String dn) {
        return dn.replaceAll(",.*", "").replaceAll("(?i)^uid=", "");
    }

    @Test
    void aMemberAddedToAGroupAndItsAncestorsJoinsAll() throws Exception {
        dir.put("team", user("alice"));
        dir.put("dept", user("bob"), group("team"));
        dir.put("company", group("dept"));
        assertThat(change("team", mod(ADD_ATTRIBUTE, user("carol"))))
                .containsExactly(Map.entry("team", "+carol"), Map.entry("dept", "+carol"), Map.entry("company", "+carol"));
    }

    @Test
    void aUserAlreadyInAnAncestorDirectlyJoinsOnlyTheGroupsThatLackedIt() throws Exception {
        dir.put("team", user("alice"));
        dir.put("dept", user("bob"), group("team"));
        dir.put("company", group("dept"));
        assertThat(change("team", mod(ADD_ATTRIBUTE, user("bob")))).containsExactly(Map.entry("team", "+bob"));
    }

    @Test
    void aUserReachableThroughTwoSubgroupsStaysWhenOnePathGoes() throws Exception {
        dir.put("red", user("alice"), user("bob"));
        dir.put("blue", user("bob"));
        dir.put("all", group("red"), group("blue"));
        dir.put("top", group("all"));
        assertThat(change("red", mod(REMOVE_ATTRIBUTE, user("bob")))).containsExactly(Map.entry("red", "-bob"));
        assertThat(change("all", mod(REMOVE_ATTRIBUTE, group("blue")))).isEmpty();
        assertThat(change("all", mod(REMOVE_ATTRIBUTE, group("red"))))
                .containsExactly(Map.entry("all", "-alice"), Map.entry("top", "-alice"));
        assertThat(change("all", mod(REMOVE_ATTRIBUTE, group("red"), group("blue"))))
                .containsExactly(Map.entry("all", "-bob,alice"), Map.entry("top", "-bob,alice"));
    }

    @Test
    void aDirectMemberAlsoInASubgroupStaysWhenTheDirectValueGoes() throws Exception {
        dir.put("child", user("alice"));
        dir.put("parent", user("alice"), group("child"));
        assertThat(change("parent", mod(REMOVE_ATTRIBUTE, user("alice")))).isEmpty();
        assertThat(change("child", mod(REMOVE_ATTRIBUTE, user("alice")))).containsExactly(Map.entry("child", "-alice"));
    }

    @Test
    void aSubgroupAddedBringsOnlyTheUsersTheGroupLacked() throws Exception {
        dir.put("inner", user("alice"), user("bob"));
        dir.put("deep", user("carol"));
        dir.put("middle", group("deep"), user("dave"));
        dir.put("outer", user("alice"), group("inner"));
        assertThat(change("outer", mod(ADD_ATTRIBUTE, group("middle")))).containsExactly(Map.entry("outer", "+dave,carol"));
        assertThat(change("inner", mod(ADD_ATTRIBUTE, group("middle"))))
                .containsExactly(Map.entry("inner", "+dave,carol"), Map.entry("outer", "+dave,carol"));
    }

    @Test
    void cyclesAreFollowedOnceAndChangesReachEveryGroupOfTheCycle() throws Exception {
        dir.put("a", user("alice"));
        dir.put("b", user("bob"), group("a"));
        dir.put("c", user("carol"), group("b"));
        assertThat(change("a", mod(ADD_ATTRIBUTE, group("c"))))
                .containsExactly(Map.entry("a", "+carol,bob"), Map.entry("b", "+carol"));
        dir.put("a", user("alice"), group("c"));
        assertThat(change("b", mod(REMOVE_ATTRIBUTE, user("bob"))))
                .containsExactly(Map.entry("b", "-bob"), Map.entry("c", "-bob"), Map.entry("a", "-bob"));
        assertThat(change("b", mod(ADD_ATTRIBUTE, user("dave"))))
                .containsExactly(Map.entry("b", "+dave"), Map.entry("c", "+dave"), Map.entry("a", "+dave"));
        // the user stays in the cycle through another of its groups
        assertThat(change("b", mod(REMOVE_ATTRIBUTE, group("a"))))
                .containsExactly(Map.entry("b", "-alice,carol"), Map.entry("c", "-alice"));
    }

    @Test
    void aGroupThatListsItselfChangesNothingAndIsNotUnresolved() throws Exception {
        dir.put("self", user("alice"));
        assertThat(change("self", mod(ADD_ATTRIBUTE, group("self")))).isEmpty();
        assertThat(unresolved).isEmpty();
    }

    @Test
    void thePlaceholderIsNeverAMember() throws Exception {
        dir.put("kc", user("alice"));
        assertThat(change("kc", mod(REMOVE_ATTRIBUTE, PLACEHOLDER))).isEmpty();
        assertThat(change("kc", mod(REPLACE_ATTRIBUTE, PLACEHOLDER))).containsExactly(Map.entry("kc", "-alice"));
        assertThat(unresolved).isEmpty();
    }

    @Test
    void valuesThatAreNeitherUsersNorGroupsAreUnresolvedAndChangeNothing() throws Exception {
        dir.put("odd", user("alice"));
        dir.put("holder", user("bob"), "cn=junk,dc=other,dc=com");
        assertThat(change("odd", mod(ADD_ATTRIBUTE, "cn=elsewhere,dc=other,dc=com", group("missing"), user("ghost"), group("holder"))))
                .containsExactly(Map.entry("odd", "+ghost,bob"));
        assertThat(unresolved).containsExactlyInAnyOrder("cn=elsewhere,dc=other,dc=com", group("missing"), "cn=junk,dc=other,dc=com");
    }

    @Test
    void removedValuesAreReportedInTheSpellingTheGroupStored() throws Exception {
        dir.put("spelled", "UID=Alice, OU=People,DC=Example,DC=Org", user("bob"));
        assertThat(change("spelled", mod(REMOVE_ATTRIBUTE, user("alice")))).containsExactly(Map.entry("spelled", "-Alice"));
        assertThat(change("spelled", mod(ADD_ATTRIBUTE, "uid=Carol,ou=people,dc=example,dc=org",
                "UID=CAROL,ou=people,dc=example,dc=org"))).containsExactly(Map.entry("spelled", "+CAROL"));
    }

    @Test
    void addAndDeleteOfTheSameValueInOneRequestCancel() throws Exception {
        dir.put("net", user("alice"));
        assertThat(change("net", mod(ADD_ATTRIBUTE, user("bob")), mod(REMOVE_ATTRIBUTE, user("bob")))).isEmpty();
        assertThat(change("net", mod(REMOVE_ATTRIBUTE, user("alice")), mod(ADD_ATTRIBUTE, user("alice")))).isEmpty();
    }

    @Test
    void replaceIsTheDifferenceBetweenTheOldAndTheNewList() throws Exception {
        dir.put("sub", user("erin"));
        dir.put("sync", user("alice"), user("bob"), group("sub"));
        dir.put("up", group("sync"), user("bob"));
        assertThat(change("sync", mod(REPLACE_ATTRIBUTE, PLACEHOLDER, user("bob"), user("carol"))))
                .containsExactly(Map.entry("sync", "+carol -alice,erin"), Map.entry("up", "+carol -alice,erin"));
        assertThat(change("sync", mod(REMOVE_ATTRIBUTE))).containsExactly(Map.entry("sync", "-alice,bob,erin"),
                Map.entry("up", "-alice,erin"));
    }

    @Test
    void underIgnoreOnlyDirectUsersCountAndAncestorsAreNotTouched() throws Exception {
        dir.put("inner", user("alice"));
        dir.put("outer", user("bob"), group("inner"));
        assertThat(change("inner", NestedPolicy.IGNORE, mod(ADD_ATTRIBUTE, user("carol")))).containsExactly(Map.entry("inner", "+carol"));
        assertThat(change("outer", NestedPolicy.IGNORE, mod(REMOVE_ATTRIBUTE, group("inner")), mod(ADD_ATTRIBUTE, group("gone"))))
                .isEmpty();
        assertThat(unresolved).containsExactly(group("gone"));
    }

    @Test
    void fewCandidatesForTheGroupsSizeAreLookedUpUpwardsManyCompareWholeMemberships() {
        MemberEdit single = new MemberEdit(Map.of(), Map.of(), 50_000);
        assertThat(MembershipDelta.Way.BY_COST.upwards(1, single)).isTrue();
        assertThat(MembershipDelta.Way.BY_COST.upwards(700, single)).isTrue();
        assertThat(MembershipDelta.Way.BY_COST.upwards(1000, single)).isFalse();
        MemberEdit small = new MemberEdit(Map.of(), Map.of(), 10);
        assertThat(MembershipDelta.Way.BY_COST.upwards(32, small)).isTrue();
        assertThat(MembershipDelta.Way.BY_COST.upwards(33, small)).isFalse();
    }

    /**
     * Random graphs of eight groups (nesting, cycles, self-membership, the placeholder, values that
     * resolve to nothing, DNs spelled in other case) and random requests of one to three
     * modifications: the delta equals the full rebuild for every group, under both policies.
     */
    @Test
    void randomGraphsAndRequestsGiveWhatTheFullRebuildGives() throws Exception {
        java.util.Random random = new java.util.Random(20240611);
        List<String> pool = new java.util.ArrayList<>();
        for (int u = 0; u < 12; u++) {
            pool.add(user("u" + u));
        }
        for (int g = 0; g < 8; g++) {
            pool.add(group("g" + g));
        }
        pool.addAll(List.of(PLACEHOLDER, "cn=elsewhere,dc=other,dc=com", group("missing")));
        int changes = 0;
        for (int round = 0; round < 300; round++) {
            dir = new GroupFixture();
            for (int g = 0; g < 8; g++) {
                dir.put("g" + g, pick(random, pool, random.nextInt(6)));
            }
            for (int request = 0; request < 10; request++) {
                String cn = "g" + random.nextInt(8);
                Modification[] mods = new Modification[1 + random.nextInt(3)];
                for (int i = 0; i < mods.length; i++) {
                    var op = List.of(ADD_ATTRIBUTE, ADD_ATTRIBUTE, REMOVE_ATTRIBUTE, REMOVE_ATTRIBUTE, REPLACE_ATTRIBUTE).get(random.nextInt(5));
                    mods[i] = op == REMOVE_ATTRIBUTE && random.nextInt(10) == 0 ? mod(op)
                            : mod(op, pick(random, pool, 1 + random.nextInt(op == REPLACE_ATTRIBUTE ? 8 : 3)));
                }
                for (NestedPolicy policy : NestedPolicy.values()) {
                    unresolved = new LinkedHashSet<>();
                    changes += change(cn, policy, mods).size();
                }
            }
        }
        assertThat(changes).as("requests that changed some group").isGreaterThan(1000);
    }

    /** {@code n} distinct values from {@code pool}, some spelled in upper case. */
    static String[] pick(java.util.Random random, List<String> pool, int n) {
        List<String> shuffled = new java.util.ArrayList<>(pool);
        java.util.Collections.shuffle(shuffled, random);
        return shuffled.subList(0, n).stream().map(v -> random.nextInt(4) == 0 ? v.toUpperCase(java.util.Locale.ROOT) : v)
                .toArray(String[]::new);
    }
}
