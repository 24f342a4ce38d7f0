package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.relay.CrashChecks.directoryMembers;
import static org.grouprelay.relay.CrashChecks.indexOf;
import static org.grouprelay.relay.CrashChecks.summary;
import static org.grouprelay.relay.CrashChecks.timed;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.ServedJar;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's promise under {@code kill -9}: every member change the directory acknowledged reaches
 * Seafile, even when the process dies while Seafile is hung and the changes only sit in the outbox.
 * Runs the shaded jar as a process against a real MariaDB; each test uses its own users and groups.
 */
class CrashIT {
    static final String CREATOR = "admin@example.org";
    static final String ADMIN_PASSWORD = "crash-admin-password";

    static TestSeafile seafile;
    static CrashChecks checks;

    @TempDir
    Path work;
    /** The jar serving in {@link #work}; its running process is killed after each test if still alive. */
    ServedJar jar;
    JarProcess server;

    @BeforeAll
    static void startSeafile() throws Exception {
        seafile = TestSeafile.start();
        seafile.db().seedUser(CREATOR, true);
        checks = new CrashChecks(seafile, CREATOR);
    }

    @AfterAll
    static void stopSeafile() {
        if (seafile != null) {
            seafile.resume();
            seafile.close();
        }
    }

    @BeforeEach
    void jar() throws IOException {
        jar = new ServedJar(work, ADMIN_PASSWORD, "listening on", Duration.ofSeconds(60));
    }

    @AfterEach
    void stopServer() throws IOException {
        seafile.resume();
        jar.close();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedChangesSurviveKillMinus9WhileSeafileIsHung() throws Exception {
        writeConfig();
        List<String> users = checks.users("hung", 20);
        String group = "crash-hung";
        String lateGroup = "crash-hung-late";
        long begin = System.nanoTime();
        server = jar.serve();
        List<Long> hungReplies = new ArrayList<>();
        Set<String> beforePause;
        try (LDAPConnection ldap = jar.admin()) {
            LdapFixtures.addPeople(ldap, users);
            LdapFixtures.createGroup(ldap, group);
            for (int i = 0; i < 6; i++) {
                LdapFixtures.modify(ldap, group, ModificationType.ADD, users.get(i));
            }
            // Seafile is up: the relay applied each change before answering
            beforePause = directoryMembers(ldap, group);
            assertThat(checks.seafileMembers(group)).as("applied synchronously while Seafile is up").isEqualTo(beforePause);

            seafile.pause();
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.ADD, users.get(6))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.ADD, users.get(7), users.get(8), users.get(9))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.DELETE, users.get(1))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.ADD, users.get(10))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.DELETE, users.get(7))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.DELETE, users.get(3), users.get(4))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.ADD, users.get(1))));
            for (int i = 11; i < 15; i++) {
                int n = i;
                hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.ADD, users.get(n))));
            }
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.DELETE, users.get(12))));
            // a group born while Seafile is hung: its creation and members are queued too
            hungReplies.add(timed(() -> LdapFixtures.createGroup(ldap, lateGroup, users.get(15), users.get(16))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, lateGroup, ModificationType.ADD, users.get(17), users.get(18))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, lateGroup, ModificationType.DELETE, users.get(16))));
            hungReplies.add(timed(() -> LdapFixtures.modify(ldap, group, ModificationType.ADD, users.get(19))));
        }
        String firstRun = server.output();
        server.kill();
        server.close();
        server = null;
        long killedAt = System.nanoTime();
        seafile.resume();
        // every reply came within the deadline (1 s) plus slack; none waited for the hung database
        assertThat(hungReplies).as("LDAP reply times (ms) while Seafile was hung").allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
        String outboxBefore = jar.outbox();
        assertThat(outboxBefore).as("outbox after kill -9").contains("\"state\":\"intent\"", "\"state\":\"committed\"");
        // nothing reached the hung database: what Seafile gets from here on comes from the outbox replay
        assertThat(checks.seafileMembers(group)).as("Seafile members of " + group + " after the kill").isEqualTo(beforePause);
        assertThat(checks.seafileMembers(lateGroup)).as("Seafile members of " + lateGroup + " after the kill").isEmpty();

        server = jar.serve();
        Set<String> expected;
        Set<String> expectedLate;
        try (LDAPConnection ldap = jar.admin()) {
            expected = directoryMembers(ldap, group);
            expectedLate = directoryMembers(ldap, lateGroup);
        }
        assertThat(expected).hasSize(12);
        assertThat(expectedLate).hasSize(3);
        checks.awaitConverged(jar, server, Map.of(group, expected, lateGroup, expectedLate));
        long convergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertThat(checks.seafileMembers(group)).as("Seafile members of " + group + " after restart").isEqualTo(expected);
        assertThat(checks.seafileMembers(lateGroup)).as("Seafile members of " + lateGroup + " after restart").isEqualTo(expectedLate);
        assertThat(checks.creatorRows(group)).isEqualTo(1);
        assertThat(checks.creatorRows(lateGroup)).isEqualTo(1);

        assertThat(firstRun).as("first run's log").contains("queued");
        assertThat(server.output()).as("second run's log").contains("from before the restart");
        assertThat(server.terminate()).isIn(0, 143);
        System.out.printf("CrashIT hung: %d replies while hung (max %d ms: %s), converged %d ms after kill, test %d ms%n",
                hungReplies.size(), hungReplies.stream().mapToLong(Long::longValue).max().orElse(0), hungReplies, convergedMs,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));

        List<String> audit = Files.readAllLines(jar.auditLog());
        int firstQueued = indexOf(audit, l -> l.contains("\"outcome\":\"queued\""));
        assertThat(firstQueued).as("index of the first 'queued' audit line").isNotNegative();
        List<String> appliedAfter = audit.subList(firstQueued, audit.size()).stream().filter(l -> l.contains("applied after")).toList();
        assertThat(appliedAfter).as("audit lines with 'applied after' following the first 'queued' line; audit log from there"
                + " (change group user: outcome reason):%n%s", summary(audit.subList(firstQueued, audit.size()))).isNotEmpty();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void killedRightAfterAcknowledgedChangesWithSeafileUp() throws Exception {
        writeConfig();
        List<String> users = checks.users("burst", 20);
        String group = "crash-burst";
        long begin = System.nanoTime();
        server = jar.serve();
        int changes = 0;
        try (LDAPConnection ldap = jar.admin()) {
            LdapFixtures.addPeople(ldap, users);
            LdapFixtures.createGroup(ldap, group, users.get(0));
            // a deterministic pseudo-random burst of adds and removes, some multi-valued
            java.util.Random random = new java.util.Random(42);
            Set<String> in = new TreeSet<>(List.of(users.get(0)));
            for (int i = 0; i < 60; i++) {
                String a = users.get(random.nextInt(users.size()));
                String b = users.get(random.nextInt(users.size()));
                if (in.contains(a)) {
                    List<String> remove = new ArrayList<>(List.of(a));
                    if (in.contains(b) && !b.equals(a)) {
                        remove.add(b);
                    }
                    LdapFixtures.modify(ldap, group, ModificationType.DELETE, remove.toArray(String[]::new));
                    in.removeAll(remove);
                } else {
                    List<String> add = new ArrayList<>(List.of(a));
                    if (!in.contains(b) && !b.equals(a)) {
                        add.add(b);
                    }
                    LdapFixtures.modify(ldap, group, ModificationType.ADD, add.toArray(String[]::new));
                    in.addAll(add);
                }
                changes++;
            }
            server.kill(); // right after the last reply
        }
        server.close();
        server = null;
        long killedAt = System.nanoTime();

        server = jar.serve();
        Set<String> expected;
        try (LDAPConnection ldap = jar.admin()) {
            expected = directoryMembers(ldap, group);
        }
        checks.awaitConverged(jar, server, Map.of(group, expected));
        long convergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertThat(checks.seafileMembers(group)).as("Seafile members after restart").isEqualTo(expected);
        assertThat(checks.creatorRows(group)).isEqualTo(1);
        assertThat(server.terminate()).isIn(0, 143);
        System.out.printf("CrashIT burst: %d changes, %d members, converged %d ms after kill, test %d ms%n", changes, expected.size(),
                convergedMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /** Relay mode with a 1 s deadline, plain LDAP allowed; the Seafile password from the environment. */
    void writeConfig() throws IOException {
        jar.configure(ConfigYaml.forJar(work, jar.ldapPort(), seafile, CREATOR).requireTls(false), "crash-keycloak-password");
    }
}
