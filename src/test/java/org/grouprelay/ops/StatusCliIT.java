package org.grouprelay.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.RelayedDirectory;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code grouprelay status} as operators run it: the jar in its own process, beside a running
 * grouprelay (here in the test's JVM) whose Seafile database is a real MariaDB, stopped for real.
 */
class StatusCliIT {
    @RegisterExtension
    static final RelayedDirectory SETUP = RelayedDirectory.of(List.of("alice", "bob", "carol", "newcomer"), List.of("alice", "bob", "carol"),
            Relaying.relayMode().deadline(Duration.ofMillis(1000)));
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        try (LDAPConnection ldap = SETUP.directory().admin()) {
            LdapFixtures.createGroup(ldap, "status-team", "alice", "newcomer"); // newcomer has no Seafile account: pending
        }
        SETUP.directory().relay().check().orElseThrow().runNow(); // writes dataDir/check-status.json
        config = SETUP.writeConfig("status.yaml", SETUP.configYaml().deadline(Duration.ofMillis(1000)));
    }

    @AfterEach
    void databaseUp() {
        SETUP.seafile().startServer();
    }

    static JarProcess.Result status(Path file, String... args) throws Exception {
        return SETUP.run(file, "status", args);
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
        assertThat(report.path("version").asInt()).isEqualTo(2);
        assertThat(report.path("targets")).singleElement().satisfies(t -> {
            assertThat(t.path("name").asText()).isEqualTo("seafile");
            assertThat(t.path("kind").asText()).isEqualTo("seafile");
            assertThat(t.path("probe").path("up").asBoolean()).isTrue();
            assertThat(t.path("pending").path("members").asInt()).isEqualTo(1);
        });
        assertThat(report.path("healthy").asBoolean()).isTrue();
        assertThat(report.path("directory").path("up").asBoolean()).isTrue();
        assertThat(report.path("seafile").path("up").asBoolean()).isTrue();
        assertThat(report.path("outbox").path("depth").asInt()).isZero();
        assertThat(report.path("pending").path("members").asInt()).isEqualTo(1);
        assertThat(report.path("lastCheck").path("inSync").asBoolean()).isTrue();
    }

    @Test
    void aStoppedDatabaseIsUnhealthyWithTheBacklogAndTheLastError() throws Exception {
        SETUP.seafile().stopServer();
        try (LDAPConnection ldap = SETUP.directory().admin()) {
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

        SETUP.seafile().startServer();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (SETUP.directory().relay().relay().orElseThrow().outboxDepth() > 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        JarProcess.Result again = status(config);
        assertThat(again.exitCode()).as(again.output()).isZero();
    }

    @Test
    void aDirectoryThatDoesNotAnswerIsUnhealthy() throws Exception {
        Path wrongPort = Files.writeString(SETUP.directory().home().resolve("wrong-port.yaml"),
                Files.readString(config).replace("port: " + SETUP.directory().ldapPort(), "port: " + TestDirectory.freePort()));
        JarProcess.Result result = status(wrongPort);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("grouprelay: UNHEALTHY", "directory   DOWN: ldap://127.0.0.1:", "problem: directory: ");
    }

    @Test
    void aBadConfigurationIsExitCode2WithOneLineNamingTheKey() throws Exception {
        Path bad = Files.writeString(SETUP.directory().home().resolve("bad-ops.yaml"),
                Files.readString(config) + "ops: { http: { enabled: true, port: 70000 } }\n");
        JarProcess.Result result = status(bad);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output().strip())
                .isEqualTo("grouprelay: configuration error: ops.http.port: '70000' is not a TCP port; use a number from 1 to 65535");
    }
}
