package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.grouprelay.config.RelayMode;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.grouprelay.testing.scim.ScimProfile;
import org.grouprelay.testing.scim.ScimServer;
import org.grouprelay.testing.scim.ScimTargets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code check} and {@code status} with a {@code targets} section, run as operators run them (the jar in its own process)
 * beside a directory that relays to Seafile's tables and to a SCIM application.
 */
class MultiTargetCliIT {
    static TestSeafile seafile;
    static ScimServer scim;
    static TestDirectory directory;
    static Path config;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts("alice", "bob");
        scim = ScimServer.start(ScimProfile.STRICT);
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob")).relayingTo(seafile, Relaying.relayMode());
        directory.alsoRelayingTo(ScimTargets.of("apps", scim, directory.config().dataDir(), RelayMode.RELAY, Duration.ofSeconds(5))).start();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "cli-multi", "alice", "bob");
        }
        SeafileConfig.Sql sql = seafile.sqlConfig();
        String targets = """
                targets:
                  seafile:
                    kind: seafile
                    target: sql
                    sql:
                      ccnetUrl: %s
                      seahubUrl: %s
                      seafileUrl: %s
                      user: %s
                      password: ${SEAFILE_DB_PASSWORD}
                    groupCreator: %s
                    auditLog: %s
                  apps:
                    kind: scim
                    url: %s
                    token: ${SCIM_TOKEN}
                """.formatted(sql.ccnetUrl(), sql.seahubUrl(), sql.seafileUrl(), sql.user(), TestDirectory.GROUP_CREATOR,
                directory.auditLog(), scim.baseUrl());
        config = ConfigYaml.of(directory).section(targets).writeTo(directory.home().resolve("multi.yaml"));
        env = Map.of(ConfigYaml.ADMIN_PASSWORD_VARIABLE, TestDirectory.ADMIN_PASSWORD, ConfigYaml.KEYCLOAK_PASSWORD_VARIABLE,
                TestDirectory.KEYCLOAK_PASSWORD, ConfigYaml.SEAFILE_DB_PASSWORD_VARIABLE, sql.password().value(), "SCIM_TOKEN", scim.token());
    }

    @AfterAll
    static void stop() {
        directory.close();
        scim.close();
        seafile.close();
    }

    static JarProcess.Result run(String command, String... args) throws Exception {
        return JarProcess.run(directory.home(), env, config, command, args);
    }

    static JsonNode json(JarProcess.Result result) throws Exception {
        return new ObjectMapper().readTree(result.output().substring(result.output().indexOf('{')));
    }

    @Test
    void checkChecksEveryTargetAndOneByName() throws Exception {
        JarProcess.Result all = run("check", "--group", "cli-multi");
        assertThat(all.exitCode()).as(all.output()).isZero();
        assertThat(all.output()).contains("== target seafile (seafile) ==", "== target apps (scim) ==");

        String groupId = scim.groupByDisplayName("cli-multi").orElseThrow().id();
        scim.removeMemberByHand(groupId, scim.userByUserName("bob").orElseThrow().id());
        JarProcess.Result text = run("check", "--group", "cli-multi", "--target", "apps");
        assertThat(text.output()).contains("member missing in target apps").doesNotContain("in Seafile");
        JarProcess.Result apps = run("check", "--group", "cli-multi", "--target", "apps", "--format", "json");
        assertThat(apps.exitCode()).as(apps.output()).isEqualTo(1);
        assertThat(json(apps).path("counts").path("MEMBER_MISSING").asInt()).isEqualTo(1);

        JarProcess.Result both = run("check", "--group", "cli-multi", "--format", "json");
        assertThat(both.exitCode()).isEqualTo(1); // the worst of the two
        assertThat(json(both).path("targets")).extracting(t -> t.path("target").asText()).containsExactly("seafile", "apps");

        JarProcess.Result repaired = run("check", "--group", "cli-multi", "--target", "apps", "--repair");
        assertThat(repaired.exitCode()).as(repaired.output()).isEqualTo(1);
        assertThat(run("check", "--group", "cli-multi").exitCode()).isZero();

        JarProcess.Result unknown = run("check", "--target", "nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("--target: 'nope' is not a target of", "it has seafile, apps");
    }

    @Test
    void statusProbesEveryTarget() throws Exception {
        JarProcess.Result result = run("status", "--json");
        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode report = json(result);
        assertThat(report.path("targets")).extracting(t -> t.path("name").asText()).containsExactly("seafile", "apps");
        assertThat(report.path("targets")).allSatisfy(t -> assertThat(t.path("probe").path("up").asBoolean()).isTrue());
        JarProcess.Result text = run("status");
        assertThat(text.output()).contains("target seafile (seafile)", "target apps (scim)", "SCIM " + scim.baseUrl());
        List.of("seafile", "apps").forEach(name -> assertThat(text.output()).contains(name));
    }
}
