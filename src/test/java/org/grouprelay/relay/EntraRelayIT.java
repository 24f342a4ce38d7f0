package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.EntraConfig;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.CheckService;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.reconcile.LdapDirectorySource;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.Targets;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.Waits;
import org.grouprelay.testing.graph.EntraTargets;
import org.grouprelay.testing.graph.FakeGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Directory over LDAP/TCP → capture → relay → Microsoft Graph (a stateful fake that enforces Graph's documented rules:
 * 20 references per PATCH, the whole request refused when one reference exists, 404 for a non-member, 429 with
 * Retry-After, paging, token audience). Two Entra targets share the fake: {@code m365} (unknown users pending) and
 * {@code guests} (unknown users invited), each mapping its own directory groups.
 */
class EntraRelayIT {
    static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivan", "judy", "nobody",
            "stranger");
    static FakeGraph graph;
    static TestDirectory directory;
    static LDAPConnection ldap;
    static final java.util.Map<String, String> GROUP_IDS = new java.util.HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        graph = FakeGraph.start();
        for (String name : NAMES) {
            if (!name.equals("nobody") && !name.equals("stranger")) {
                graph.addUser(name, name + "@example.org");
            }
        }
        for (String group : List.of("staff", "nested", "split", "throttled", "leavers", "checked", "guarded", "offline", "drain", "guest-list")) {
            GROUP_IDS.put(group, graph.addGroup("Entra " + group).id());
        }
        directory = TestDirectory.create(LdapFixtures.people(NAMES));
        Set<String> pending = Set.of("staff", "nested", "split", "throttled", "leavers", "checked", "guarded", "offline", "drain");
        directory.alsoRelayingTo(EntraTargets.of("m365", graph, directory.config().dataDir(), pending.stream()
                .map(g -> new EntraConfig.GroupMapping(g, GROUP_IDS.get(g))).toList(), false));
        directory.alsoRelayingTo(EntraTargets.of("guests", graph, directory.config().dataDir(),
                List.of(new EntraConfig.GroupMapping("guest-list", GROUP_IDS.get("guest-list"))), true));
        directory.start();
        ldap = directory.admin();
    }

    @AfterAll
    static void stop() {
        ldap.close();
        directory.close();
        graph.close();
    }

    static Set<String> entra(String group) {
        Set<String> ids = graph.members(GROUP_IDS.get(group));
        return graph.users().stream().filter(u -> ids.contains(u.id())).map(u -> u.mail().replace("@example.org", "")).collect(Collectors.toSet());
    }

    static String id(String name) {
        return graph.userByMail(name + "@example.org").orElseThrow().id();
    }

    @Test
    void addRemoveAndReplaceReachEntraBeforeEachReply() throws Exception {
        LdapFixtures.createGroup(ldap, "staff", "alice", "bob");
        assertThat(entra("staff")).containsExactlyInAnyOrder("alice", "bob");
        LdapFixtures.modify(ldap, "staff", ModificationType.ADD, "carol");
        LdapFixtures.modify(ldap, "staff", ModificationType.DELETE, "bob");
        assertThat(entra("staff")).containsExactlyInAnyOrder("alice", "carol");
        LdapFixtures.modify(ldap, "staff", ModificationType.REPLACE, "dave", "erin");
        assertThat(entra("staff")).containsExactlyInAnyOrder("dave", "erin");
        assertThat(graph.violations()).isEmpty();
    }

    @Test
    void aNestedGroupsMembersCountAndUnmappedGroupsAreLeftAlone() throws Exception {
        int before = graph.requests().size();
        LdapFixtures.createGroup(ldap, "unmapped-team", "frank");
        assertThat(graph.requests()).hasSize(before); // not mapped: Graph is not asked at all
        LdapFixtures.createGroup(ldap, "nested", "alice");
        ldap.modify("cn=nested," + GROUPS, new Modification(ModificationType.ADD, "member", "cn=unmapped-team," + GROUPS));
        assertThat(entra("nested")).containsExactlyInAnyOrder("alice", "frank");
        LdapFixtures.modify(ldap, "unmapped-team", ModificationType.DELETE, "frank");
        assertThat(entra("nested")).containsExactlyInAnyOrder("alice");
    }

    @Test
    void anExistingReferenceSplitsTheRequestInsteadOfFailingIt() throws Exception {
        LdapFixtures.createGroup(ldap, "split");
        graph.addMemberByHand(GROUP_IDS.get("split"), id("gina"));
        LdapFixtures.modify(ldap, "split", ModificationType.ADD, "alice", "bob", "gina", "hank");
        assertThat(entra("split")).containsExactlyInAnyOrder("alice", "bob", "gina", "hank");
        assertThat(graph.requests()).anySatisfy(r -> assertThat(r.status()).isEqualTo(400)); // the refused request was split
        assertThat(graph.violations()).isEmpty();
    }

    @Test
    void throttlingIsWaitedOutAsRetryAfterSays() throws Exception {
        LdapFixtures.createGroup(ldap, "throttled", "alice");
        graph.throttleNext(1, 1);
        LdapFixtures.modify(ldap, "throttled", ModificationType.ADD, "ivan");
        Waits.until(Duration.ofSeconds(20), () -> entra("throttled").contains("ivan"));
        String audit = Files.readString(directory.config().dataDir().resolve("targets/m365/audit.jsonl"));
        assertThat(audit).contains("HTTP 429");
    }

    @Test
    void unknownUsersArePendingOrInvitedAsConfigured() throws Exception {
        LdapFixtures.createGroup(ldap, "guest-list", "nobody", "alice");
        assertThat(entra("guest-list")).containsExactlyInAnyOrder("alice", "nobody");
        assertThat(graph.invitations()).singleElement().satisfies(i -> {
            assertThat(i.email()).isEqualToIgnoringCase("nobody@example.org");
            assertThat(i.sendInvitationMessage()).isFalse();
        });
        LdapFixtures.createGroup(ldap, "offline", "stranger", "bob"); // m365 does not invite
        assertThat(entra("offline")).containsExactlyInAnyOrder("bob");
        String audit = Files.readString(directory.config().dataDir().resolve("targets/m365/audit.jsonl"));
        assertThat(audit.lines().filter(l -> l.contains("uid=stranger") && l.contains("\"pending\""))).isNotEmpty();
    }

    @Test
    void aDeletedDirectoryUserLeavesTheGroupsButStaysInEntra() throws Exception {
        LdapFixtures.createGroup(ldap, "leavers", "judy", "alice");
        String judy = id("judy");
        ldap.delete("uid=judy," + PEOPLE);
        assertThat(entra("leavers")).containsExactlyInAnyOrder("alice");
        assertThat(graph.user(judy)).isPresent();
    }

    @Test
    void theCheckFindsDriftAndTheGuardStopsAMassRemoval() throws Exception {
        LdapFixtures.createGroup(ldap, "checked", "alice", "bob");
        LdapFixtures.createGroup(ldap, "guarded", "alice");
        graph.removeMemberByHand(GROUP_IDS.get("checked"), id("bob"));
        for (String extra : List.of("carol", "dave", "erin", "frank")) {
            graph.addMemberByHand(GROUP_IDS.get("guarded"), id(extra));
        }
        TargetConfig m365 = directory.fullConfig().target("m365").orElseThrow();
        try (Target target = Targets.open(m365, directory.config().dataDir(), Clock.systemUTC());
                LdapDirectorySource source = new LdapDirectorySource(directory.config())) {
            CheckService service = GroupRelay.checkService(directory.fullConfig(), m365, target, Clock.systemUTC());
            CheckRun refused = service.run(source, new CheckService.Options(Set.of("checked", "guarded"), true, false, false));
            assertThat(refused.plan().findings()).extracting(Finding::kind).contains(Finding.Kind.MEMBER_MISSING, Finding.Kind.MEMBER_EXTRA);
            assertThat(refused.refused()).isPresent(); // 4 of 5 members of one group would go
            assertThat(entra("guarded")).hasSize(5);

            CheckRun forced = service.run(source, new CheckService.Options(Set.of("checked", "guarded"), true, false, true));
            assertThat(forced.repair()).isPresent();
            assertThat(entra("checked")).containsExactlyInAnyOrder("alice", "bob");
            assertThat(entra("guarded")).containsExactlyInAnyOrder("alice");
            CheckRun clean = service.run(source, new CheckService.Options(Set.of("checked", "guarded"), false, false, false));
            assertThat(clean.plan().findings()).filteredOn(f -> f.kind().drift()).isEmpty();
        }
    }

    @Test
    void graphDownThenBackGetsEveryChangeInOrder() throws Exception {
        LdapFixtures.createGroup(ldap, "drain", "alice");
        graph.stop();
        try {
            LdapFixtures.modify(ldap, "drain", ModificationType.ADD, "carol");
            LdapFixtures.modify(ldap, "drain", ModificationType.ADD, "dave");
            LdapFixtures.modify(ldap, "drain", ModificationType.DELETE, "carol");
        } finally {
            graph.restart();
        }
        Relay m365 = directory.relay().targets().stream().filter(t -> t.config().name().equals("m365")).findFirst().orElseThrow().relay();
        Waits.until(Duration.ofSeconds(60), () -> m365.outboxDepth() == 0);
        assertThat(entra("drain")).containsExactlyInAnyOrder("alice", "dave");
    }
}
