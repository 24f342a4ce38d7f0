package org.grouprelay.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.reconcile.LocalState;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.ServedJar;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.grouprelay.testing.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} under SIGTERM and SIGHUP, as a service manager sends them, and {@code grouprelay reload} where SIGHUP
 * cannot reach it: the jar in its own process against a real MariaDB that is frozen (SIGSTOP) or stopped while changes
 * wait in the outbox.
 */
class ServeSignalsIT {
    static final String ADMIN_PASSWORD = "signals-admin-password";
    static final String CREATOR = "admin@example.org";
    static final String EVERY_TWO_SECONDS = "0/2 * * * * ?";
    static TestSeafile seafile;

    @TempDir
    Path work;
    ServedJar jar;
    int httpPort;
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

    @BeforeEach
    void jar() throws Exception {
        jar = new ServedJar(work, ADMIN_PASSWORD, "health and metrics on", Duration.ofSeconds(60));
        httpPort = TestDirectory.freePort();
    }

    @AfterEach
    void cleanUp() throws Exception {
        seafile.resume();
        seafile.startServer();
        jar.close();
    }

    @Test
    void sigtermWaitsForQueuedChangesToReachSeafileBeforeStopping() throws Exception {
        server = start(20, "0 30 2 * * ?");
        try (LDAPConnection ldap = jar.admin()) {
            createUsers(ldap, 1, 2, 3);
            LdapFixtures.createGroup(ldap, "draining", "sig1");
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            seafile.pause(); // Seafile hangs: each change is acknowledged after the deadline and waits in the outbox
            LdapFixtures.modify(ldap, "draining", ModificationType.ADD, "sig2");
            LdapFixtures.modify(ldap, "draining", ModificationType.ADD, "sig3");
            LdapFixtures.modify(ldap, "draining", ModificationType.DELETE, "sig1");
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
        assertThat(jar.backlog().depth()).isZero();
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

        try (LDAPConnection ldap = jar.admin()) {
            createUsers(ldap, 5, 6, 7);
            LdapFixtures.createGroup(ldap, "kept", "sig5");
            seafile.stopServer();
            LdapFixtures.modify(ldap, "kept", ModificationType.ADD, "sig6");
            LdapFixtures.modify(ldap, "kept", ModificationType.ADD, "sig7");
        }
        long stopping = System.nanoTime();
        int exit = server.terminate();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        assertThat(exit).as(server.output()).isIn(0, 143);
        assertThat(server.output()).contains("stopping: up to 1 s for 2 queued change(s)", "2 change(s) stay in the outbox");
        assertThat(stopMillis).as("stop time with the drain bounded at 1 s").isLessThan(8_000);
        assertThat(jar.backlog().depth()).isEqualTo(2); // nothing lost: the next start applies them first
        assertThat(jar.outbox()).contains("uid=sig6," + TestDirectory.PEOPLE, "uid=sig7," + TestDirectory.PEOPLE);
        assertThat(seafileMembersWhenUp("kept")).isEqualTo(Set.of("sig5@example.org"));
    }

    @Test
    void underNohupItSaysOnceThatSighupCannotReloadAndGrouprelayReloadDoes() throws Exception {
        writeConfig(1, "0 30 2 * * ?");
        server = jar.serveIgnoringHangup();
        server.awaitOutput("SIGHUP is ignored by this process (started under nohup", Duration.ofSeconds(20));
        assertThat(server.output()).contains("run grouprelay reload --config " + work.resolve("grouprelay.yaml").toAbsolutePath() + " instead");

        writeConfig(1, EVERY_TWO_SECONDS); // the reload is seen at work: checks begin to run
        JarProcess.Result reloaded = reload();
        assertThat(reloaded.exitCode()).as(reloaded.output()).isZero();
        assertThat(reloaded.output().strip()).isEqualTo("grouprelay: configuration reloaded by serve (pid " + server.pid() + ") from "
                + work.resolve("grouprelay.yaml").toAbsolutePath() + ": check.schedule '" + EVERY_TWO_SECONDS + "', report e-mail off");
        server.awaitOutput("configuration reloaded: check.schedule '" + EVERY_TWO_SECONDS + "'", Duration.ofSeconds(10));
        Waits.until(Duration.ofSeconds(30), () -> lastCheck().isPresent());

        Files.writeString(work.resolve("grouprelay.yaml"), Files.readString(work.resolve("grouprelay.yaml")).replace(EVERY_TWO_SECONDS, "often"));
        JarProcess.Result refused = reload();
        Instant afterRefusal = Instant.now();
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output().strip()).startsWith("grouprelay: configuration not reloaded, the running settings stay: check.schedule: 'often'")
                .doesNotContain("\n");
        Waits.until(Duration.ofSeconds(30), () -> lastCheck().orElseThrow().isAfter(afterRefusal)); // still every two seconds

        int exit = server.terminate();
        assertThat(exit).as(server.output()).isIn(0, 143);
        assertThat(server.output().split("SIGHUP is ignored", -1)).hasSize(2); // said once
        JarProcess.Result stopped = reload();
        assertThat(stopped.exitCode()).as(stopped.output()).isEqualTo(3);
        Path dataDir = work.resolve("data").toAbsolutePath();
        assertThat(stopped.output().strip()).isEqualTo("grouprelay: no grouprelay serve is running with dataDir " + dataDir + " (there is no "
                + dataDir.resolve("reload/serve.pid") + ")");
    }

    @Test
    void reloadWithoutAServeSaysSoInOneLine() throws Exception {
        writeConfig(1, "0 30 2 * * ?");
        JarProcess.Result result = reload();
        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        assertThat(result.output().strip()).startsWith("grouprelay: no grouprelay serve is running with dataDir " + work.resolve("data").toAbsolutePath())
                .doesNotContain("\n");
    }

    // ---- set-up ------------------------------------------------------------------------------------

    JarProcess start(int drainSeconds, String schedule) throws Exception {
        writeConfig(drainSeconds, schedule);
        return jar.serve();
    }

    void writeConfig(int drainSeconds, String schedule) throws Exception {
        jar.configure(ConfigYaml.of(Path.of("data"), jar.ldapPort()).seafileSql(seafile).seafilePasswordFromEnvironment()
                .groupCreator(CREATOR).deadline(Duration.ofMillis(500)).section("""
                check:
                  schedule: "%s"
                ops:
                  http: { enabled: true, port: %d }
                  drainSeconds: %d
                """.formatted(schedule, httpPort, drainSeconds)), "signals-keycloak-password");
    }

    /** {@code grouprelay reload} as an operator runs it beside serve: without serve's secrets in the environment. */
    JarProcess.Result reload() throws Exception {
        return JarProcess.run(work, Map.of(), Path.of("grouprelay.yaml"), "reload", "--wait", "20");
    }

    /** When the last consistency check ran ({@code dataDir/check-status.json}). */
    Optional<Instant> lastCheck() {
        return new LocalState(work.resolve("data"), jar.auditLog(), Clock.systemUTC()).lastRun().map(LocalState.LastRun::instant);
    }

    void hangUp() throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor()).isZero();
    }

    /** sig1, sig2, ... with Seafile accounts. */
    static void createUsers(LDAPConnection ldap, int... numbers) throws Exception {
        List<String> names = new ArrayList<>();
        for (int n : numbers) {
            names.add("sig" + n);
        }
        LdapFixtures.addPeople(ldap, names);
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
