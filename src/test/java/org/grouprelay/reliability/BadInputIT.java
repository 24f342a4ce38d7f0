package org.grouprelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.grouprelay.GroupRelay;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.reconcile.CheckService;
import org.grouprelay.reconcile.InProcessDirectorySource;
import org.grouprelay.reconcile.Plan;
import org.grouprelay.targets.seafile.sql.SqlTarget;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.LdapTools;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input/*.yaml}) sent over real LDAP to a
 * directory that relays to a real MariaDB. Every case must get its expected result code with a
 * diagnostic that says what is wrong (or succeed and be reported in the audit log), and afterwards
 * the server must still serve and Seafile must still equal the directory.
 */
class BadInputIT {
    static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
    static TestSeafile seafile;
    static TestDirectory directory;
    static SqlTarget target;
    static CheckService checker;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts(USERS);
        directory = TestDirectory.create(LdapFixtures.person("nobody") + LdapFixtures.people(USERS))
                .relayingTo(seafile, Relaying.relayMode()).start();
        target = org.grouprelay.targets.Targets.sqlTarget(directory.fullConfig().seafile().orElseThrow(), Clock.systemUTC());
        checker = GroupRelay.checkService(directory.fullConfig(), target, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
        directory.close();
        seafile.close();
    }

    static Stream<BadInputCase> corpus() throws Exception {
        return BadInputCase.all();
    }

    @Test
    void theCorpusHasAtLeastFiftyCases() throws Exception {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(50);
        assertThat(corpus().filter(c -> c.viaLdapmodify() && c.result() == 0)).as("ldapmodify re-sends refused changes only").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadInputGetsAClearAnswerAndLeavesEverythingConsistent(BadInputCase c) throws Exception {
        try (LDAPConnection admin = directory.admin()) {
            for (LDIFChangeRecord record : records(c.setup())) {
                record.processChange(admin);
            }
        }
        long auditBefore = Files.exists(directory.auditLog()) ? Files.size(directory.auditLog()) : 0;
        long started = System.nanoTime();
        LDAPException refusal = send(c);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        int code = refusal == null ? 0 : refusal.getResultCode().intValue();
        String diagnostic = refusal == null ? "" : String.valueOf(refusal.getDiagnosticMessage());
        System.out.printf("bad input %-70s -> %d %s (%d ms)%n", c, code, abbreviate(diagnostic), tookMs);

        assertThat(code).as("result code of %s (diagnostic: %s)", c, diagnostic).isEqualTo(c.result());
        if (c.result() != 0) {
            assertThat(diagnostic).as("diagnostic message of %s", c).isNotBlank();
            for (String word : c.message()) {
                assertThat(diagnostic.toLowerCase(Locale.ROOT)).as("diagnostic message of %s", c).contains(word.toLowerCase(Locale.ROOT));
            }
        }
        assertThat(directory.relay().relay().orElseThrow().awaitDrained(Duration.ofSeconds(60))).as("outbox drained").isTrue();
        if (c.group().isPresent()) {
            assertThat(seafileMembers(c.group().get())).as("Seafile members of %s after %s", c.group().get(), c)
                    .isEqualTo(c.members().orElse(null));
        }
        if (c.audit().isPresent()) {
            assertThat(auditSince(auditBefore)).as("audit lines written by %s", c).anySatisfy(l -> assertThat(l).contains(c.audit().get()));
        }
        if (c.viaLdapmodify()) {
            resendWithLdapmodify(c);
        }
        assertServerStillServes();
        assertInSync(c);
    }

    /** Sends the change records; all but the last must succeed; returns the last one's refusal, if any. */
    private static LDAPException send(BadInputCase c) throws Exception {
        List<LDIFChangeRecord> records = records(c.change());
        try (LDAPConnection ldap = c.bind().equals("keycloak") ? directory.keycloak() : directory.admin()) {
            ldap.getConnectionOptions().setResponseTimeoutMillis(120_000);
            for (int i = 0; i < records.size(); i++) {
                try {
                    records.get(i).processChange(ldap);
                } catch (LDAPException e) {
                    if (i == records.size() - 1) {
                        return e;
                    }
                    throw new AssertionError(c + ": record " + (i + 1) + " of " + records.size() + " failed: " + e.getMessage(), e);
                }
            }
        }
        return null;
    }

    private static List<LDIFChangeRecord> records(String ldif) throws Exception {
        List<LDIFChangeRecord> records = new ArrayList<>();
        try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8)))) {
            for (LDIFChangeRecord r = reader.readChangeRecord(true); r != null; r = reader.readChangeRecord(true)) {
                records.add(r);
            }
        }
        return records;
    }

    /** OpenLDAP's client sends the same refused change: its exit code is the result code, nothing changes. */
    private static void resendWithLdapmodify(BadInputCase c) throws Exception {
        if (!ldapUtilsInstalled()) {
            return;
        }
        List<String> before = seafileMembers(c.group().orElse("-"));
        Path ldif = Files.createTempFile("bad-input-", ".ldif");
        try {
            Files.writeString(ldif, c.change());
            boolean keycloak = c.bind().equals("keycloak");
            LdapTools.Result result = LdapTools.run(ldif, "/usr/bin/ldapmodify", "-x", "-H", "ldap://127.0.0.1:" + directory.ldapPort(),
                    "-D", keycloak ? TestDirectory.KEYCLOAK_DN : TestDirectory.ADMIN_DN,
                    "-w", keycloak ? TestDirectory.KEYCLOAK_PASSWORD : TestDirectory.ADMIN_PASSWORD);
            assertThat(result.exitCode()).as("ldapmodify exit code for %s: %s", c, result.stderr()).isEqualTo(c.result());
            assertThat(result.stderr()).as("ldapmodify's report of %s", c).contains("additional info:");
        } finally {
            Files.deleteIfExists(ldif);
        }
        assertThat(seafileMembers(c.group().orElse("-"))).isEqualTo(before);
    }

    private static boolean ldapUtilsInstalled() {
        try {
            LdapTools.assumeInstalled();
            return true;
        } catch (org.opentest4j.TestAbortedException e) {
            return false;
        }
    }

    private static void assertServerStillServes() throws Exception {
        try (LDAPConnection admin = directory.admin(); LDAPConnection keycloak = directory.keycloak()) {
            assertThat(admin.search(GROUPS, SearchScope.ONE, "(objectClass=groupOfNames)", "cn").getResultCode()).isEqualTo(ResultCode.SUCCESS);
            assertThat(keycloak.getEntry(TestDirectory.PEOPLE)).isNotNull();
        }
    }

    private static void assertInSync(BadInputCase c) throws Exception {
        Plan plan = checker.run(new InProcessDirectorySource(directory.relay().directory().service()), CheckService.Options.checkOnly()).plan();
        assertThat(plan.inSync()).as("Seafile equals the directory after %s; drift: %s", c,
                plan.findings().stream().filter(f -> f.kind().drift()).toList()).isTrue();
    }

    /** Seafile members (uids, sorted) of the linked group named {@code cn}, without the creator; null if there is no such group. */
    static List<String> seafileMembers(String cn) {
        List<Map<String, Object>> groups = seafile.query(EmbeddedSeafileDb.CCNET, "SELECT group_id FROM `Group` WHERE BINARY group_name = ?", cn);
        assertThat(groups).as("Seafile groups named " + cn).hasSizeLessThanOrEqualTo(1);
        if (groups.isEmpty()) {
            return null;
        }
        return seafile.groupUsers(((Number) groups.get(0).get("group_id")).longValue()).stream()
                .filter(u -> !u.equalsIgnoreCase(TestDirectory.GROUP_CREATOR)).map(u -> u.substring(0, u.indexOf('@'))).sorted().toList();
    }

    /** Audit lines written after {@code offset}; the file grows large (the 100,000-value case), so only the tail is read. */
    private static List<String> auditSince(long offset) throws Exception {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(directory.auditLog())) {
            java.io.InputStream tail = java.nio.channels.Channels.newInputStream(channel.position(offset));
            return new String(tail.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "...";
    }
}
