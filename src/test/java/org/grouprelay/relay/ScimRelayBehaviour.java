package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.RelayMode;
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
import org.grouprelay.testing.scim.ScimProfile;
import org.grouprelay.testing.scim.ScimServer;
import org.grouprelay.testing.scim.ScimTargets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Directory over LDAP/TCP → capture → relay → a real SCIM 2.0 server (the SCIM SDK, {@link ScimServer}) in one of its
 * profiles. Every assertion on the server's state is made right after the LDAP reply: in relay mode the reply waits for the
 * target. Each test uses its own groups; the server records request shapes, and no test may break a profile's rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScimRelayBehaviour {
    static final List<String> PEOPLE_NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank", "gone");
    ScimServer scim;
    TestDirectory directory;
    LDAPConnection ldap;

    abstract ScimProfile profile();

    @BeforeAll
    void start() throws Exception {
        scim = ScimServer.start(profile());
        directory = TestDirectory.create(LdapFixtures.people(PEOPLE_NAMES));
        directory.alsoRelayingTo(ScimTargets.of("apps", scim, directory.config().dataDir(), RelayMode.RELAY, Duration.ofSeconds(5))).start();
        ldap = directory.admin();
    }

    @AfterAll
    void stop() {
        ldap.close();
        directory.close();
        scim.close();
    }

    static String group(String cn) {
        return "cn=" + cn + "," + GROUPS;
    }

    String userId(String uid) {
        return scim.userByUserName(uid).orElseThrow(() -> new AssertionError("no SCIM user " + uid)).id();
    }

    Set<String> members(String cn) {
        return scim.groupByDisplayName(cn).orElseThrow(() -> new AssertionError("no SCIM group " + cn)).memberIds();
    }

    Set<String> ids(String... uids) {
        return java.util.Arrays.stream(uids).map(this::userId).collect(Collectors.toSet());
    }

    String entryUuid(String dn) throws Exception {
        return ldap.searchForEntry(dn, SearchScope.BASE, "(objectClass=*)", "entryUUID").getAttributeValue("entryUUID");
    }

    @Test
    void aGroupsLifeReachesTheApplicationBeforeEachReply() throws Exception {
        LdapFixtures.createGroup(ldap, "eng", "alice", "bob");
        ScimServer.ScimGroup eng = scim.groupByDisplayName("eng").orElseThrow();
        assertThat(eng.externalId()).isEqualTo(entryUuid(group("eng")));
        assertThat(eng.memberIds()).isEqualTo(ids("alice", "bob"));
        ScimServer.ScimUser alice = scim.userByUserName("alice").orElseThrow();
        assertThat(alice.externalId()).isEqualTo(entryUuid("uid=alice," + PEOPLE));
        assertThat(alice.active()).isTrue();
        assertThat(alice.emails()).containsExactly("alice@Example.org");

        LdapFixtures.modify(ldap, "eng", ModificationType.ADD, "carol");
        assertThat(members("eng")).isEqualTo(ids("alice", "bob", "carol"));
        LdapFixtures.modify(ldap, "eng", ModificationType.DELETE, "bob");
        assertThat(members("eng")).isEqualTo(ids("alice", "carol"));
        LdapFixtures.modify(ldap, "eng", ModificationType.REPLACE, "dave");
        assertThat(members("eng")).isEqualTo(ids("dave"));

        ldap.modifyDN(new ModifyDNRequest(group("eng"), "cn=engineering", true));
        assertThat(scim.groupByDisplayName("engineering").orElseThrow().id()).isEqualTo(eng.id());
        assertThat(scim.groupByDisplayName("eng")).isEmpty();

        ldap.delete(group("engineering"));
        assertThat(scim.groups()).noneMatch(g -> g.id().equals(eng.id()));
        assertThat(scim.violations()).isEmpty();
    }

    @Test
    void aDeletedDirectoryUserIsDeactivatedAndLeavesTheGroup() throws Exception {
        LdapFixtures.createGroup(ldap, "leavers", "gone", "erin");
        String gone = userId("gone");
        ldap.delete("uid=gone," + PEOPLE);
        assertThat(members("leavers")).isEqualTo(ids("erin"));
        assertThat(scim.users()).filteredOn(u -> u.id().equals(gone)).singleElement().satisfies(u -> assertThat(u.active()).isFalse());
        assertThat(scim.violations()).isEmpty();
    }

    @Test
    void anApplicationGroupOfTheSameNameIsLinkedNotDuplicated() throws Exception {
        ScimServer.ScimGroup own = scim.createGroupByHand("design");
        LdapFixtures.createGroup(ldap, "design", "frank");
        assertThat(scim.groups()).filteredOn(g -> g.displayName().equalsIgnoreCase("design")).singleElement()
                .satisfies(g -> {
                    assertThat(g.id()).isEqualTo(own.id());
                    assertThat(g.memberIds()).isEqualTo(ids("frank"));
                });
    }

    @Test
    void aGroupDeletedInTheApplicationIsCreatedAgainByTheNextChange() throws Exception {
        LdapFixtures.createGroup(ldap, "phoenix", "alice");
        scim.deleteGroupByHand(scim.groupByDisplayName("phoenix").orElseThrow().id());
        LdapFixtures.modify(ldap, "phoenix", ModificationType.ADD, "bob");
        // the first try meets 404 and drops the link; the retry (1 s later) creates the group again with the directory's members
        Waits.until(Duration.ofSeconds(20), () -> scim.groupByDisplayName("phoenix").isPresent()
                && members("phoenix").containsAll(ids("bob")));
        assertThat(scim.violations()).isEmpty();
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheWaitTheServerAsked() throws Exception {
        LdapFixtures.createGroup(ldap, "throttled", "alice");
        scim.failNext(1, 429, OptionalInt.of(1));
        LdapFixtures.modify(ldap, "throttled", ModificationType.ADD, "carol");
        Waits.until(Duration.ofSeconds(20), () -> members("throttled").equals(ids("alice", "carol")));
        String audit = Files.readString(directory.config().dataDir().resolve("targets/apps/audit.jsonl"));
        assertThat(audit).contains("HTTP 429").contains("\"target\":\"apps\"");
    }

    @Test
    void theCheckFindsAndRepairsWhatWasChangedInTheApplication() throws Exception {
        LdapFixtures.createGroup(ldap, "checked", "alice", "bob");
        String groupId = scim.groupByDisplayName("checked").orElseThrow().id();
        TargetConfig apps = directory.fullConfig().target("apps").orElseThrow();
        try (Target target = Targets.open(apps, directory.config().dataDir(), Clock.systemUTC());
                LdapDirectorySource source = new LdapDirectorySource(directory.config())) {
            CheckService service = GroupRelay.checkService(directory.fullConfig(), apps, target, Clock.systemUTC());
            CheckRun clean = service.run(source, new CheckService.Options(Set.of("checked"), false, false, false));
            assertThat(clean.plan().findings()).filteredOn(f -> f.kind().drift()).isEmpty();

            scim.removeMemberByHand(groupId, userId("bob"));
            CheckRun drift = service.run(source, new CheckService.Options(Set.of("checked"), true, false, false));
            if (profile() == ScimProfile.AWS) {
                // the server shows no members: nothing to compare, the directory's members are added again (idempotent)
                assertThat(drift.plan().findings()).filteredOn(f -> f.kind().drift()).isEmpty();
            } else {
                assertThat(drift.plan().findings()).extracting(Finding::kind).contains(Finding.Kind.MEMBER_MISSING);
            }
            assertThat(members("checked")).isEqualTo(ids("alice", "bob"));
        }
    }
}
