package org.grouprelay.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.reconcile.LocalState;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} under SIGTERM and SIGHUP, as a service manager sends them: the jar in its own process
 * against a real MariaDB that is frozen (SIGSTOP) or stopped while changes wait in the outbox.
 */
class ServeSignalsIT {
    static final String PEOPLE = "ou=people,dc=example,dc=org";
    static final String GROUPS = "ou=groups,dc=example,dc=org";
    static final String ADMIN_PASSWORD = "signals-admin-password";
    static final String CREATOR = "admin@example.org";
    static TestSeafile seafile;

    @TempDir
    Path work;
    int ldapPort;
    int httpPort;
    Map<String, String> env;
    JarProcess server;

    @BeforeAll
    static void startSeafile() throws Exception {
        seafile = TestSeafile.start();
        seafile.db().seedUser(CREATOR, true);
        for (int i = 1; i <= 7; i++) {
            seafile.db().seedUser("sig" + i + "@example.org", true);
        }
    }

    @AfterAll
    static void stopSeafile() {
        seafile.resume();
        seafile.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        seafile.resume();
        seafile.startServer();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sigtermWaitsForQueuedChangesToReachSeafileBeforeStopping() throws Exception {
        server = start(20, "0 30 2 * * ?");
        try (LDAPConnection ldap = admin()) {
            createUsers(ldap, 1, 2, 3);
            createGroup(ldap, "draining", "sig1");
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            seafile.pause(); // Seafile hangs: each change is acknowledged after the deadline and waits in the outbox
            modify(ldap, "draining", ModificationType.ADD, "sig2");
            modify(ldap, "draining", ModificationType.ADD, "sig3");
            modify(ldap, "draining", ModificationType.DELETE, "sig1");
        }
        CompletableFuture<Void> wakeUp = CompletableFuture.runAsync(() -> {
            sleep(1500);
            seafile.resume(); // after SIGTERM: only the drain can deliver the changes now
        });
        long stopping = System.nanoTime();
        int exit = server.terminate();
        wakeUp.join();
        String log = server.output();
        assertThat(exit).as(log).isIn(0, 143);
        assertThat(log).contains("stopping: up to 20 s for 3 queued change(s) to reach Seafile", "stopping: outbox drained");
        assertThat(log.indexOf("LDAP directory stopped")).as("LDAP stops before the drain").isLessThan(log.indexOf("stopping: outbox drained"));
        assertThat(seafileMembers("draining")).isEqualTo(Set.of("sig2@example.org", "sig3@example.org"));
        assertThat(backlog().depth()).isZero();
        System.out.printf("ServeSignalsIT: SIGTERM with 3 queued changes drained and stopped in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
    }

    @Test
    void sighupReloadsTheCheckSectionAndSigtermWithSeafileDownKeepsTheQueueInTheOutbox() throws Exception {
        server = start(1, "0 30 2 * * ?");
        writeConfig(1, "0 0 4 * * ?");
        hangUp();
        server.awaitOutput("configuration reloaded: check.schedule '0 0 4 * * ?', report e-mail off", Duration.ofSeconds(10));
        Files.writeString(work.resolve("grouprelay.yaml"), Files.readString(work.resolve("grouprelay.yaml")).replace("0 0 4 * * ?", "often"));
        hangUp();
        server.awaitOutput("configuration not reloaded, the running settings stay: check.schedule: 'often'", Duration.ofSeconds(10));

        try (LDAPConnection ldap = admin()) {
            createUsers(ldap, 5, 6, 7);
            createGroup(ldap, "kept", "sig5");
            seafile.stopServer();
            modify(ldap, "kept", ModificationType.ADD, "sig6");
            modify(ldap, "kept", ModificationType.ADD, "sig7");
        }
        long stopping = System.nanoTime();
        int exit = server.terminate();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        assertThat(exit).as(server.output()).isIn(0, 143);
        assertThat(server.output()).contains("stopping: up to 1 s for 2 queued change(s)", "2 change(s) stay in the outbox");
        assertThat(stopMillis).as("stop time with the drain bounded at 1 s").isLessThan(8_000);
        assertThat(backlog().depth()).isEqualTo(2); // nothing lost: the next start applies them first
        assertThat(Files.readString(work.resolve("data/outbox.jsonl"))).contains("uid=sig6," + PEOPLE, "uid=sig7," + PEOPLE);
        assertThat(seafileMembersWhenUp("kept")).isEqualTo(Set.of("sig5@example.org"));
    }

    // ---- set-up ------------------------------------------------------------------------------------

    JarProcess start(int drainSeconds, String schedule) throws Exception {
        ldapPort = TestDirectory.freePort();
        httpPort = TestDirectory.freePort();
        writeConfig(drainSeconds, schedule);
        JarProcess process = JarProcess.start(work, env, "serve", "--config", "grouprelay.yaml");
        process.awaitOutput("health and metrics on", Duration.ofSeconds(60));
        return process;
    }

    void writeConfig(int drainSeconds, String schedule) throws Exception {
        EmbeddedSeafileDb db = seafile.db();
        Files.writeString(work.resolve("grouprelay.yaml"), """
                directory:
                  suffix: dc=example,dc=org
                  dataDir: data
                  bootstrapLdif: '%s'
                  adminPassword: ${GROUPRELAY_ADMIN_PASSWORD}
                  ldap: { host: 127.0.0.1, port: %d }
                  peopleDn: %s
                  groupsDn: %s
                seafile:
                  sql:
                    ccnetUrl: %s
                    seahubUrl: %s
                    seafileUrl: %s
                    user: %s
                    password: ${SEAFILE_DB_PASSWORD}
                  users: [ { strategy: email } ]
                  groupCreator: %s
                  deadlineMillis: 500
                check:
                  schedule: "%s"
                ops:
                  http: { enabled: true, port: %d }
                  drainSeconds: %d
                """.formatted(TestDirectory.projectFile("ldif/bootstrap.ldif").toAbsolutePath(), ldapPort, PEOPLE, GROUPS,
                db.jdbcUrl(EmbeddedSeafileDb.CCNET), db.jdbcUrl(EmbeddedSeafileDb.SEAHUB), db.jdbcUrl(EmbeddedSeafileDb.SEAFILE),
                EmbeddedSeafileDb.USER, CREATOR, schedule, httpPort, drainSeconds));
        env = Map.of("GROUPRELAY_ADMIN_PASSWORD", ADMIN_PASSWORD, "GROUPRELAY_KEYCLOAK_PASSWORD", "signals-keycloak-password",
                "SEAFILE_DB_PASSWORD", db.password());
    }

    void hangUp() throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor()).isZero();
    }

    org.grouprelay.relay.OutboxLine.Backlog backlog() throws Exception {
        return new LocalState(work.resolve("data"), work.resolve("data/audit.jsonl"), Clock.systemUTC()).backlog();
    }

    LDAPConnection admin() throws Exception {
        return new LDAPConnection("127.0.0.1", ldapPort, "uid=admin,ou=system", ADMIN_PASSWORD);
    }

    static void createUsers(LDAPConnection ldap, int... numbers) throws Exception {
        for (int n : numbers) {
            String uid = "sig" + n;
            ldap.add(new Entry("uid=" + uid + "," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", uid),
                    new Attribute("sn", uid), new Attribute("cn", uid), new Attribute("mail", uid + "@example.org")));
        }
    }

    static void createGroup(LDAPConnection ldap, String cn, String uid) throws Exception {
        ldap.add(new Entry("cn=" + cn + "," + GROUPS, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", cn),
                new Attribute("member", List.of("cn=empty-membership-placeholder", "uid=" + uid + "," + PEOPLE))));
    }

    static void modify(LDAPConnection ldap, String cn, ModificationType type, String uid) throws Exception {
        ldap.modify("cn=" + cn + "," + GROUPS, new Modification(type, "member", "uid=" + uid + "," + PEOPLE));
    }

    static Set<String> seafileMembersWhenUp(String cn) {
        seafile.startServer();
        return seafileMembers(cn);
    }

    /** The Seafile group's members without the creator's row. */
    static Set<String> seafileMembers(String cn) {
        Set<String> members = new TreeSet<>();
        seafile.query(EmbeddedSeafileDb.CCNET, "SELECT u.user_name FROM `Group` g JOIN GroupUser u USING (group_id) WHERE BINARY g.group_name = ?",
                cn).forEach(row -> members.add((String) row.get("user_name")));
        members.remove(CREATOR);
        return members;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
