package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.grouprelay.config.RelayMode;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.relay.Relay;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.grouprelay.testing.Waits;
import org.grouprelay.testing.scim.ScimProfile;
import org.grouprelay.testing.scim.ScimServer;
import org.grouprelay.testing.scim.ScimTargets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One directory, two targets: Seafile's databases (SQL) and a SCIM application (strict profile). Each gets every
 * change; while the SCIM application is down, Seafile still has each change when its LDAP reply arrives, and the SCIM
 * application gets every change it missed once it is back, in order, with nothing lost.
 */
class TwoTargetsIT {
    static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank");
    static TestSeafile seafile;
    static ScimServer scim;
    static TestDirectory directory;
    static LDAPConnection ldap;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts(NAMES);
        scim = ScimServer.start(ScimProfile.STRICT);
        directory = TestDirectory.create(LdapFixtures.people(NAMES)).relayingTo(seafile, Relaying.relayMode());
        // a long deadline: a write must not sit it out when the application refuses connections (its change is queued at once)
        directory.alsoRelayingTo(ScimTargets.of("apps", scim, directory.config().dataDir(), RelayMode.RELAY, Duration.ofSeconds(20))).start();
        ldap = directory.admin();
    }

    @AfterAll
    static void stop() {
        ldap.close();
        directory.close();
        scim.close();
        seafile.close();
    }

    static Set<String> seafileMembers(String cn) {
        List<java.util.Map<String, Object>> rows = seafile.query(EmbeddedSeafileDb.CCNET, "SELECT group_id FROM `Group` WHERE group_name = ?", cn);
        if (rows.isEmpty()) {
            return Set.of();
        }
        Set<String> members = seafile.groupUsers(((Number) rows.get(0).get("group_id")).longValue()).stream()
                .map(u -> u.replace("@example.org", "")).collect(Collectors.toSet());
        members.remove("admin"); // the group's creator row, written by design
        return members;
    }

    static Set<String> scimMembers(String cn) {
        Set<String> ids = scim.groupByDisplayName(cn).map(ScimServer.ScimGroup::memberIds).orElse(Set.of());
        return scim.users().stream().filter(u -> ids.contains(u.id())).map(ScimServer.ScimUser::userName).collect(Collectors.toSet());
    }

    Relay relay(String name) {
        return directory.relay().targets().stream().filter(t -> t.config().name().equals(name)).findFirst().orElseThrow().relay();
    }

    @Test
    void everyTargetGetsEveryChangeBeforeTheReply() throws Exception {
        LdapFixtures.createGroup(ldap, "both", "alice", "bob");
        assertThat(seafileMembers("both")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(scimMembers("both")).containsExactlyInAnyOrder("alice", "bob");
        LdapFixtures.modify(ldap, "both", ModificationType.DELETE, "alice");
        LdapFixtures.modify(ldap, "both", ModificationType.ADD, "carol");
        assertThat(seafileMembers("both")).containsExactlyInAnyOrder("bob", "carol");
        assertThat(scimMembers("both")).containsExactlyInAnyOrder("bob", "carol");
    }

    @Test
    void aTargetThatIsDownNeitherBlocksTheOtherNorLosesItsChanges() throws Exception {
        LdapFixtures.createGroup(ldap, "outage", "alice");
        scim.stop();
        try {
            LdapFixtures.modify(ldap, "outage", ModificationType.ADD, "bob");
            // Seafile took the change before the reply came, although the other target could not
            assertThat(seafileMembers("outage")).containsExactlyInAnyOrder("alice", "bob");
            LdapFixtures.modify(ldap, "outage", ModificationType.ADD, "dave");
            LdapFixtures.modify(ldap, "outage", ModificationType.DELETE, "alice");
            LdapFixtures.createGroup(ldap, "born-offline", "erin", "frank");
            // 30 s of an application that is down: every write still reaches Seafile before its reply
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int writes = 0;
            for (int write = 0; System.nanoTime() < end; write++) {
                writes++;
                boolean add = write % 2 == 0;
                LdapFixtures.modify(ldap, "outage", add ? ModificationType.ADD : ModificationType.DELETE, "carol");
                if (add) {
                    assertThat(seafileMembers("outage")).contains("carol");
                } else {
                    assertThat(seafileMembers("outage")).doesNotContain("carol");
                }
            }
            // had each reply waited for the application's 20 s deadline, 30 s would hold two writes
            assertThat(writes).as("writes answered in 30 s while the application was down").isGreaterThan(10);
            System.out.printf("TwoTargetsIT: %d writes answered during the 30 s SCIM outage%n", writes);
            if (seafileMembers("outage").contains("carol")) {
                LdapFixtures.modify(ldap, "outage", ModificationType.DELETE, "carol");
            }
            assertThat(seafileMembers("outage")).containsExactlyInAnyOrder("bob", "dave");
            assertThat(seafileMembers("born-offline")).containsExactlyInAnyOrder("erin", "frank");
            assertThat(relay("seafile").outboxDepth()).isZero();
            assertThat(relay("apps").outboxDepth()).isPositive();
        } finally {
            scim.restart();
        }
        // the relay's backoff has grown to up to 32 s meanwhile; the first success wakes every waiting group
        Waits.until(Duration.ofSeconds(120), () -> relay("apps").outboxDepth() == 0);
        assertThat(scimMembers("outage")).containsExactlyInAnyOrder("bob", "dave");
        assertThat(scimMembers("born-offline")).containsExactlyInAnyOrder("erin", "frank");
        assertThat(scim.violations()).isEmpty();
        assertThat(ldap.getEntry("cn=outage," + GROUPS)).isNotNull();
    }
}
