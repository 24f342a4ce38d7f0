package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.RelayAndStrict;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the relay does when Seafile's database is down, hung or missing an account: one real MariaDB
 * for the class, stopped and paused for real; one directory in relay mode and one in strict mode.
 */
class FailureModesIT {
    static final Duration DEADLINE = Duration.ofMillis(1000);
    static final String CCNET = EmbeddedSeafileDb.CCNET;
    @RegisterExtension
    static final RelayAndStrict SETUP = RelayAndStrict.of(List.of("alice", "bob", "carol", "dave", "late"),
            List.of("alice", "bob", "carol", "dave"), DEADLINE);

    static List<String> members(String groupName) {
        return SETUP.seafile().query(CCNET, "SELECT u.user_name FROM `Group` g JOIN GroupUser u USING (group_id)"
                + " WHERE BINARY g.group_name = ? AND u.is_staff = 0 ORDER BY u.user_name", groupName)
                .stream().map(r -> (String) r.get("user_name")).toList();
    }

    static void awaitMembers(String groupName, List<String> expected) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!members(groupName).equals(expected) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(members(groupName)).isEqualTo(expected);
    }

    static List<String> audit(TestDirectory directory) throws Exception {
        return Files.readAllLines(directory.auditLog());
    }

    @Test
    void relayModeAcknowledgesWhileTheDatabaseIsDownAndDrainsInOrderWithoutDuplicates() throws Exception {
        try (LDAPConnection ldap = SETUP.relay().admin()) {
            LdapFixtures.createGroup(ldap, "outage", "alice");
            SETUP.seafile().stopServer();
            LdapFixtures.modify(ldap, "outage", ModificationType.ADD, "bob");
            LdapFixtures.modify(ldap, "outage", ModificationType.ADD, "carol");
            LdapFixtures.modify(ldap, "outage", ModificationType.DELETE, "bob");     // order matters: bob ends up out
            LdapFixtures.modify(ldap, "outage", ModificationType.DELETE, "alice");
            LdapFixtures.modify(ldap, "outage", ModificationType.ADD, "alice");      // ... and alice back in
            assertThat(SETUP.relay().relay().relay().orElseThrow().outboxDepth()).isEqualTo(5);
            SETUP.seafile().startServer();
            // an intermediate state can equal the final one (after 'remove bob'): wait for the drain first
            Relay drained = SETUP.relay().relay().relay().orElseThrow();
            assertThat(drained.awaitDrained(Duration.ofSeconds(30))).isTrue();
            assertThat(members("outage")).containsExactly("alice@example.org", "carol@example.org");
            assertThat(SETUP.seafile().query(CCNET, "SELECT COUNT(*) AS n FROM `Group` WHERE group_name = 'outage'"))
                    .containsExactly(Map.of("n", 1L));
        }
        assertThat(audit(SETUP.relay())).anySatisfy(l -> assertThat(l).contains("\"group\":\"outage\"", "\"outcome\":\"queued\""))
                .anySatisfy(l -> assertThat(l).contains("\"group\":\"outage\"", "applied after"));
    }

    @Test
    void aHungDatabaseDoesNotHoldTheLdapReplyBeyondTheDeadline() throws Exception {
        try (LDAPConnection ldap = SETUP.relay().admin()) {
            LdapFixtures.createGroup(ldap, "hung", "alice");
            SETUP.seafile().pause();
            long started = System.nanoTime();
            LdapFixtures.modify(ldap, "hung", ModificationType.ADD, "dave");
            Duration reply = Duration.ofNanos(System.nanoTime() - started);
            // the reply comes once the deadline has passed, not when the database wakes up
            assertThat(reply).isLessThan(DEADLINE.multipliedBy(3));
            assertThat(ldap.getEntry("cn=hung," + GROUPS).getAttributeValues("member")).contains("uid=dave," + PEOPLE);
            SETUP.seafile().resume();
            awaitMembers("hung", List.of("alice@example.org", "dave@example.org"));
        }
    }

    @Test
    void strictModeRefusesWith52WhenTheDatabaseIsDownAndChangesNeitherSide() throws Exception {
        try (LDAPConnection ldap = SETUP.strict().admin()) {
            LdapFixtures.createGroup(ldap, "strict-down", "alice");
            assertThat(members("strict-down")).containsExactly("alice@example.org");
            SETUP.seafile().stopServer();
            assertThatThrownBy(() -> LdapFixtures.modify(ldap, "strict-down", ModificationType.ADD, "bob"))
                    .isInstanceOfSatisfying(LDAPException.class, e -> {
                        assertThat(e.getResultCode()).isEqualTo(ResultCode.UNAVAILABLE);
                        assertThat(e.getDiagnosticMessage()).contains("strict mode", "nothing was changed");
                    });
            assertThat(ldap.getEntry("cn=strict-down," + GROUPS).getAttributeValues("member")).doesNotContain("uid=bob," + PEOPLE);
            SETUP.seafile().startServer();
            assertThat(members("strict-down")).containsExactly("alice@example.org");
            // 52 means "try again": while the pool replaces connections the restart broke, a client may need to
            for (int attempt = 1; ; attempt++) {
                try {
                    LdapFixtures.modify(ldap, "strict-down", ModificationType.ADD, "bob");
                    break;
                } catch (LDAPException e) {
                    assertThat(e.getResultCode()).isEqualTo(ResultCode.UNAVAILABLE);
                    assertThat(attempt).as("attempts after the database came back").isLessThan(3);
                    assertThat(members("strict-down")).containsExactly("alice@example.org"); // and nothing half-applied
                }
            }
            assertThat(members("strict-down")).containsExactly("alice@example.org", "bob@example.org");
            assertThat(ldap.getEntry("cn=strict-down," + GROUPS).getAttributeValues("member")).contains("uid=bob," + PEOPLE);
        }
    }

    @Test
    void strictModeRefusesWhenTheDatabaseHangsAndNothingIsHalfApplied() throws Exception {
        try (LDAPConnection ldap = SETUP.strict().admin()) {
            LdapFixtures.createGroup(ldap, "strict-hung", "alice");
            SETUP.seafile().pause();
            assertThatThrownBy(() -> LdapFixtures.modify(ldap, "strict-hung", ModificationType.ADD, "carol"))
                    .isInstanceOfSatisfying(LDAPException.class, e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.UNAVAILABLE));
            SETUP.seafile().resume();
            Thread.sleep(DEADLINE.toMillis() * 2); // let the abandoned attempt finish and roll back
            assertThat(members("strict-hung")).containsExactly("alice@example.org");
            assertThat(ldap.getEntry("cn=strict-hung," + GROUPS).getAttributeValues("member")).doesNotContain("uid=carol," + PEOPLE);
        }
    }

    @Test
    void aPendingMemberIsAppliedSoonAfterTheAccountAppears() throws Exception {
        try (LDAPConnection ldap = SETUP.relay().admin()) {
            LdapFixtures.createGroup(ldap, "waiting", "alice", "late");
            assertThat(members("waiting")).containsExactly("alice@example.org");
            assertThat(SETUP.relay().relay().relay().orElseThrow().pendingMembers()).isGreaterThanOrEqualTo(1);
            SETUP.seafile().db().seedUser("late@example.org", true); // first login creates the account
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!members("waiting").contains("late@example.org") && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertThat(members("waiting")).containsExactly("alice@example.org", "late@example.org");
        }
    }
}
