package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's promise under {@code kill -9}: every member change the directory acknowledged reaches
 * Seafile, even when the process dies while Seafile is hung and the changes only sit in the outbox.
 * Runs the shaded jar as a process against a real MariaDB; each test uses its own users and groups.
 */
class CrashIT {
    static final String SUFFIX = "dc=example,dc=org";
    static final String PEOPLE = "ou=people," + SUFFIX;
    static final String GROUPS = "ou=groups," + SUFFIX;
    static final String PLACEHOLDER = "cn=empty-membership-placeholder";
    static final String CREATOR = "admin@example.org";
    static final String ADMIN_PASSWORD = "crash-admin-password";
    static final Duration CONVERGE = Duration.ofSeconds(30);

    static TestSeafile seafile;

    @TempDir
    Path work;
    int port;
    Map<String, String> env;
    /** The running jar, killed after each test if still alive. */
    JarProcess server;

    @BeforeAll
    static void startSeafile() throws Exception {
        seafile = TestSeafile.start();
        seafile.db().seedUser(CREATOR, true);
    }

    @AfterAll
    static void stopSeafile() {
        if (seafile != null) {
            seafile.resume();
            seafile.close();
        }
    }

    @AfterEach
    void stopServer() throws IOException {
        seafile.resume();
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedChangesSurviveKillMinus9WhileSeafileIsHung() throws Exception {
        writeConfig();
        List<String> users = users("hung", 20);
        String group = "crash-hung";
        String lateGroup = "crash-hung-late";
        long begin = System.nanoTime();
        server = start();
        List<Long> hungReplies = new ArrayList<>();
        Set<String> beforePause;
        try (LDAPConnection ldap = admin()) {
            createUsers(ldap, users);
            createGroup(ldap, group);
            for (int i = 0; i < 6; i++) {
                modify(ldap, group, ModificationType.ADD, users.get(i));
            }
            // Seafile is up: the relay applied each change before answering
            beforePause = directoryMembers(ldap, group);
            assertThat(seafileMembers(group)).as("applied synchronously while Seafile is up").isEqualTo(beforePause);

            seafile.pause();
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.ADD, users.get(6))));
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.ADD, users.get(7), users.get(8), users.get(9))));
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.DELETE, users.get(1))));
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.ADD, users.get(10))));
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.DELETE, users.get(7))));
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.DELETE, users.get(3), users.get(4))));
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.ADD, users.get(1))));
            for (int i = 11; i < 15; i++) {
                int n = i;
                hungReplies.add(timed(() -> modify(ldap, group, ModificationType.ADD, users.get(n))));
            }
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.DELETE, users.get(12))));
            // a group born while Seafile is hung: its creation and members are queued too
            hungReplies.add(timed(() -> createGroup(ldap, lateGroup, users.get(15), users.get(16))));
            hungReplies.add(timed(() -> modify(ldap, lateGroup, ModificationType.ADD, users.get(17), users.get(18))));
            hungReplies.add(timed(() -> modify(ldap, lateGroup, ModificationType.DELETE, users.get(16))));
            hungReplies.add(timed(() -> modify(ldap, group, ModificationType.ADD, users.get(19))));
        }
        String firstRun = server.output();
        server.kill();
        server.close();
        server = null;
        long killedAt = System.nanoTime();
        seafile.resume();
        // every reply came within the deadline (1 s) plus slack; none waited for the hung database
        assertThat(hungReplies).as("LDAP reply times (ms) while Seafile was hung").allSatisfy(ms -> assertThat(ms).isLessThan(5_000));
        String outboxBefore = Files.readString(work.resolve("data/outbox.jsonl"));
        assertThat(outboxBefore).as("outbox after kill -9").contains("\"state\":\"intent\"", "\"state\":\"committed\"");
        // nothing reached the hung database: what Seafile gets from here on comes from the outbox replay
        assertThat(seafileMembers(group)).as("Seafile members of " + group + " after the kill").isEqualTo(beforePause);
        assertThat(seafileMembers(lateGroup)).as("Seafile members of " + lateGroup + " after the kill").isEmpty();

        server = start();
        Set<String> expected;
        Set<String> expectedLate;
        try (LDAPConnection ldap = admin()) {
            expected = directoryMembers(ldap, group);
            expectedLate = directoryMembers(ldap, lateGroup);
        }
        assertThat(expected).hasSize(12);
        assertThat(expectedLate).hasSize(3);
        awaitConverged(Map.of(group, expected, lateGroup, expectedLate));
        long convergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertThat(seafileMembers(group)).as("Seafile members of " + group + " after restart").isEqualTo(expected);
        assertThat(seafileMembers(lateGroup)).as("Seafile members of " + lateGroup + " after restart").isEqualTo(expectedLate);
        assertThat(creatorRows(group)).isEqualTo(1);
        assertThat(creatorRows(lateGroup)).isEqualTo(1);

        assertThat(firstRun).as("first run's log").contains("queued");
        assertThat(server.output()).as("second run's log").contains("from before the restart");
        assertThat(server.terminate()).isIn(0, 143);
        System.out.printf("CrashIT hung: %d replies while hung (max %d ms: %s), converged %d ms after kill, test %d ms%n",
                hungReplies.size(), hungReplies.stream().mapToLong(Long::longValue).max().orElse(0), hungReplies, convergedMs,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));

        List<String> audit = Files.readAllLines(work.resolve("data/audit.jsonl"));
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
        List<String> users = users("burst", 20);
        String group = "crash-burst";
        long begin = System.nanoTime();
        server = start();
        int changes = 0;
        try (LDAPConnection ldap = admin()) {
            createUsers(ldap, users);
            createGroup(ldap, group, users.get(0));
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
                    modify(ldap, group, ModificationType.DELETE, remove.toArray(String[]::new));
                    in.removeAll(remove);
                } else {
                    List<String> add = new ArrayList<>(List.of(a));
                    if (!in.contains(b) && !b.equals(a)) {
                        add.add(b);
                    }
                    modify(ldap, group, ModificationType.ADD, add.toArray(String[]::new));
                    in.addAll(add);
                }
                changes++;
            }
            server.kill(); // right after the last reply
        }
        server.close();
        server = null;
        long killedAt = System.nanoTime();

        server = start();
        Set<String> expected;
        try (LDAPConnection ldap = admin()) {
            expected = directoryMembers(ldap, group);
        }
        awaitConverged(Map.of(group, expected));
        long convergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertThat(seafileMembers(group)).as("Seafile members after restart").isEqualTo(expected);
        assertThat(creatorRows(group)).isEqualTo(1);
        assertThat(server.terminate()).isIn(0, 143);
        System.out.printf("CrashIT burst: %d changes, %d members, converged %d ms after kill, test %d ms%n", changes, expected.size(),
                convergedMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    // ---- set-up ------------------------------------------------------------------------------------

    void writeConfig() throws IOException {
        port = TestDirectory.freePort();
        EmbeddedSeafileDb db = seafile.db();
        String ldif = Path.of(System.getProperty("grouprelay.home", ".")).resolve("ldif/bootstrap.ldif").toAbsolutePath().toString();
        String yaml = """
                directory:
                  suffix: %s
                  dataDir: %s
                  bootstrapLdif: %s
                  adminPassword: ${GROUPRELAY_ADMIN_PASSWORD}
                  ldap: { host: 127.0.0.1, port: %d }
                  requireTls: false
                  peopleDn: %s
                  groupsDn: %s
                seafile:
                  target: sql
                  mode: relay
                  sql:
                    ccnetUrl: %s
                    seahubUrl: %s
                    seafileUrl: %s
                    user: %s
                    password: ${SEAFILE_DB_PASSWORD}
                  users:
                    - { strategy: email }
                  groupCreator: %s
                  deadlineMillis: 1000
                """.formatted(SUFFIX, quote(work.resolve("data")), quote(Path.of(ldif)), port, PEOPLE, GROUPS,
                db.jdbcUrl(EmbeddedSeafileDb.CCNET), db.jdbcUrl(EmbeddedSeafileDb.SEAHUB), db.jdbcUrl(EmbeddedSeafileDb.SEAFILE),
                EmbeddedSeafileDb.USER, CREATOR);
        Files.writeString(work.resolve("grouprelay.yaml"), yaml);
        env = Map.of("GROUPRELAY_ADMIN_PASSWORD", ADMIN_PASSWORD, "GROUPRELAY_KEYCLOAK_PASSWORD", "crash-keycloak-password",
                "SEAFILE_DB_PASSWORD", db.password());
    }

    private static String quote(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    JarProcess start() throws Exception {
        JarProcess process = JarProcess.start(work, env, "serve", "--config", "grouprelay.yaml");
        try {
            process.awaitOutput("listening on", Duration.ofSeconds(60));
        } catch (Throwable e) {
            process.close();
            throw e;
        }
        return process;
    }

    LDAPConnection admin() throws Exception {
        return new LDAPConnection("127.0.0.1", port, "uid=admin,ou=system", ADMIN_PASSWORD);
    }

    /** {@code count} user names with Seafile accounts ({@code name@example.org}). */
    static List<String> users(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            seafile.db().seedUser(name + "@example.org", true);
            names.add(name);
        }
        return names;
    }

    static void createUsers(LDAPConnection ldap, List<String> names) throws Exception {
        for (String name : names) {
            ldap.add(new Entry(userDn(name), new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", name),
                    new Attribute("sn", name), new Attribute("cn", name), new Attribute("mail", name + "@Example.org")));
        }
    }

    /** Keycloak's way: the placeholder plus any initial members. */
    static void createGroup(LDAPConnection ldap, String cn, String... members) throws Exception {
        List<String> values = new ArrayList<>(List.of(PLACEHOLDER));
        for (String m : members) {
            values.add(userDn(m));
        }
        ldap.add(new Entry(groupDn(cn), new Attribute("objectClass", "groupOfNames"), new Attribute("cn", cn),
                new Attribute("member", values)));
    }

    static void modify(LDAPConnection ldap, String cn, ModificationType type, String... users) throws Exception {
        ldap.modify(groupDn(cn), new Modification(type, "member", java.util.Arrays.stream(users).map(CrashIT::userDn).toArray(String[]::new)));
    }

    static String userDn(String name) {
        return "uid=" + name + "," + PEOPLE;
    }

    static String groupDn(String cn) {
        return "cn=" + cn + "," + GROUPS;
    }

    interface LdapCall {
        void run() throws Exception;
    }

    /** Runs {@code call} and returns how long its reply took, in ms. */
    static long timed(LdapCall call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    // ---- comparing the directory with Seafile ------------------------------------------------------

    /** The group's user members as Seafile ids: {@code uid=x,ou=people,...} → {@code x@example.org}; no placeholder. */
    static Set<String> directoryMembers(LDAPConnection ldap, String cn) throws Exception {
        Set<String> members = new TreeSet<>();
        for (String dn : ldap.getEntry(groupDn(cn), "member").getAttributeValues("member")) {
            String lower = dn.toLowerCase(Locale.ROOT);
            if (lower.equals(PLACEHOLDER)) {
                continue;
            }
            assertThat(lower).as("member value").startsWith("uid=").endsWith("," + PEOPLE);
            members.add(lower.substring(4, lower.indexOf(',')) + "@example.org");
        }
        return members;
    }

    /** Seafile's GroupUser rows of the (single) Seafile group named {@code cn}, without the creator; empty if there is none yet. */
    static Set<String> seafileMembers(String cn) {
        List<Map<String, Object>> groups = seafile.query(EmbeddedSeafileDb.CCNET,
                "SELECT group_id FROM `Group` WHERE BINARY group_name = ?", cn);
        assertThat(groups).as("Seafile groups named " + cn).hasSizeLessThanOrEqualTo(1);
        if (groups.isEmpty()) {
            return Set.of();
        }
        long id = ((Number) groups.get(0).get("group_id")).longValue();
        List<String> rows = seafile.groupUsers(id);
        assertThat(rows).as("GroupUser rows of " + cn).doesNotHaveDuplicates();
        Set<String> members = new TreeSet<>(rows);
        members.remove(CREATOR);
        return members;
    }

    static int creatorRows(String cn) {
        return seafile.query(EmbeddedSeafileDb.CCNET, "SELECT u.user_name FROM GroupUser u JOIN `Group` g ON g.group_id = u.group_id"
                + " WHERE BINARY g.group_name = ? AND u.user_name = ?", cn, CREATOR).size();
    }

    /** Polls until every group's Seafile members equal {@code expected}; fails with the difference and the log otherwise. */
    void awaitConverged(Map<String, Set<String>> expected) throws Exception {
        long end = System.nanoTime() + CONVERGE.toNanos();
        while (true) {
            // an intermediate state may equal the final one: the outbox must also be drained
            boolean done = new org.grouprelay.reconcile.LocalState(work.resolve("data"), work.resolve("data/audit.jsonl"),
                    java.time.Clock.systemUTC()).backlog().depth() == 0;
            for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                done &= seafileMembers(e.getKey()).equals(e.getValue());
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > end) {
                StringBuilder diff = new StringBuilder();
                for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                    diff.append(e.getKey()).append(": directory ").append(e.getValue()).append(", Seafile ")
                            .append(seafileMembers(e.getKey())).append('\n');
                }
                throw new AssertionError("Seafile did not converge within " + CONVERGE + ":\n" + diff + "grouprelay output:\n"
                        + server.output() + "\noutbox:\n" + Files.readString(work.resolve("data/outbox.jsonl")));
            }
            Thread.sleep(200);
        }
    }

    /** One short line per audit entry: change, group, user, outcome and reason. */
    private static String summary(List<String> auditLines) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        StringBuilder text = new StringBuilder();
        for (String line : auditLines) {
            com.fasterxml.jackson.databind.JsonNode entry = json.readTree(line);
            text.append(entry.path("time").asText()).append(' ').append(entry.path("change").asText()).append(' ')
                    .append(entry.path("group").asText()).append(' ').append(entry.path("user").asText("-").replace("," + PEOPLE, ""))
                    .append(": ").append(entry.path("outcome").asText()).append(' ').append(entry.path("reason").asText(""))
                    .append('\n');
        }
        return text.toString();
    }

    private interface LinePredicate {
        boolean test(String line);
    }

    private static int indexOf(List<String> lines, LinePredicate predicate) {
        for (int i = 0; i < lines.size(); i++) {
            if (predicate.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
