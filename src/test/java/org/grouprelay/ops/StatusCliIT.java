package org.grouprelay.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code grouprelay status} as operators run it: the jar in its own process, beside a running
 * grouprelay (here in the test's JVM) whose Seafile database is a real MariaDB, stopped for real.
 */
class StatusCliIT {
    static TestSeafile seafile;
    static TestDirectory directory;
    static Path config;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts("alice", "bob", "carol");
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob", "carol", "newcomer"))
                .relayingTo(seafile, Relaying.relayMode().deadline(Duration.ofMillis(1000))).start();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "status-team", "alice", "newcomer"); // newcomer has no Seafile account: pending
        }
        directory.relay().check().orElseThrow().runNow(); // writes dataDir/check-status.json
        ConfigYaml yaml = ConfigYaml.of(directory).seafileSql(seafile).deadline(Duration.ofMillis(1000));
        config = yaml.writeTo(directory.home().resolve("status.yaml"));
        env = yaml.environment(TestDirectory.ADMIN_PASSWORD, TestDirectory.KEYCLOAK_PASSWORD);
    }

    @AfterAll
    static void stop() {
        directory.close();
        seafile.close();
    }

    @AfterEach
    void databaseUp() {
        seafile.startServer();
    }

    static JarProcess.Result status(Path file, String... args) throws Exception {
        return JarProcess.run(directory.home(), env, file, "status", args);
    }

    static JsonNode json(JarProcess.Result result) throws Exception {
        return new ObjectMapper().readTree(result.output().substring(result.output().indexOf('{')));
    }

    @Test
    void healthyExitsZeroAndSaysWhatItChecked() throws Exception {
        JarProcess.Result text = status(config);
        assertThat(text.exitCode()).as(text.output()).isZero();
        assertThat(text.output()).contains("grouprelay: healthy", "accepted a bind as uid=admin,ou=system", "answered",
                "outbox      empty", "1 membership(s) of 1 user(s) wait for a first Seafile login", ": in sync (check)");

        JarProcess.Result result = status(config, "--json");
        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode report = json(result);
        assertThat(report.path("version").asInt()).isEqualTo(1);
        assertThat(report.path("healthy").asBoolean()).isTrue();
        assertThat(report.path("directory").path("up").asBoolean()).isTrue();
        assertThat(report.path("seafile").path("up").asBoolean()).isTrue();
        assertThat(report.path("outbox").path("depth").asInt()).isZero();
        assertThat(report.path("pending").path("members").asInt()).isEqualTo(1);
        assertThat(report.path("lastCheck").path("inSync").asBoolean()).isTrue();
    }

    @Test
    void aStoppedDatabaseIsUnhealthyWithTheBacklogAndTheLastError() throws Exception {
        seafile.stopServer();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.modify(ldap, "status-team", ModificationType.ADD, "bob"); // acknowledged, waits in the outbox
        }
        JarProcess.Result result = status(config, "--json");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        JsonNode report = json(result);
        assertThat(report.path("healthy").asBoolean()).isFalse();
        assertThat(report.path("seafile").path("up").asBoolean()).isFalse();
        assertThat(report.path("problems").get(0).asText()).startsWith("Seafile: Seafile database jdbc:mariadb://127.0.0.1:");
        assertThat(report.path("directory").path("up").asBoolean()).isTrue();
        assertThat(report.path("outbox").path("depth").asInt()).isEqualTo(1);
        assertThat(report.path("lastError").path("group").asText()).isEqualTo("status-team");
        assertThat(report.path("lastError").path("outcome").asText()).isIn("queued", "retrying (1)", "retrying (2)");

        seafile.startServer();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (directory.relay().relay().orElseThrow().outboxDepth() > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        JarProcess.Result again = status(config);
        assertThat(again.exitCode()).as(again.output()).isZero();
    }

    @Test
    void aDirectoryThatDoesNotAnswerIsUnhealthy() throws Exception {
        Path wrongPort = Files.writeString(directory.home().resolve("wrong-port.yaml"),
                Files.readString(config).replace("port: " + directory.ldapPort(), "port: " + TestDirectory.freePort()));
        JarProcess.Result result = status(wrongPort);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("grouprelay: UNHEALTHY", "directory   DOWN: ldap://127.0.0.1:", "problem: directory: ");
    }

    @Test
    void aBadConfigurationIsExitCode2WithOneLineNamingTheKey() throws Exception {
        Path bad = Files.writeString(directory.home().resolve("bad-ops.yaml"),
                Files.readString(config) + "ops: { http: { enabled: true, port: 70000 } }\n");
        JarProcess.Result result = status(bad);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output().strip())
                .isEqualTo("grouprelay: configuration error: ops.http.port: '70000' is not a TCP port; use a number from 1 to 65535");
    }
}
