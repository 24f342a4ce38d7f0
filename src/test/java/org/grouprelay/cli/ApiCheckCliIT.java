package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.FakeSeafile;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code grouprelay check} and {@code status} with {@code seafile.target: api}: the jar in its own process, beside a running directory. */
class ApiCheckCliIT {
    static FakeSeafile seafile;
    static TestDirectory directory;
    static Path config;
    static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        seafile = FakeSeafile.start();
        for (String name : List.of("alice", "bob", "carol")) {
            seafile.state().addUser(name + "@example.org", null);
        }
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob", "carol")).relayingToApi(seafile, Relaying.relayMode()).start();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "api-team", "alice", "bob");
        }
        ConfigYaml yaml = ConfigYaml.of(directory).seafileApi(seafile);
        config = yaml.writeTo(directory.home().resolve("api.yaml"));
        env = yaml.environment(TestDirectory.ADMIN_PASSWORD, TestDirectory.KEYCLOAK_PASSWORD);
    }

    @AfterAll
    static void stop() {
        directory.close();
        seafile.close();
    }

    static JarProcess.Result run(String command, String... args) throws Exception {
        return JarProcess.run(directory.home(), env, config, command, args);
    }

    @Test
    void checkFindsDriftThroughTheApiRepairsItAndTheTokenStaysOutOfTheOutput() throws Exception {
        JarProcess.Result clean = run("check", "--group", "api-team");
        assertThat(clean.exitCode()).as(clean.output()).isZero();

        long id = seafile.state().groups().stream().filter(g -> g.name().equals("api-team")).findFirst().orElseThrow().id();
        seafile.state().addMemberByHand(id, "carol@example.org");
        JarProcess.Result drift = run("check", "--group", "api-team");
        assertThat(drift.exitCode()).as(drift.output()).isEqualTo(1);
        assertThat(drift.output()).contains("api-team", "carol@example.org");

        JarProcess.Result repair = run("check", "--group", "api-team", "--repair");
        assertThat(repair.exitCode()).as(repair.output()).isEqualTo(1);
        assertThat(seafile.state().members(id)).containsExactlyInAnyOrder(FakeSeafile.ADMIN, "alice@example.org", "bob@example.org");
        assertThat(run("check", "--group", "api-team").exitCode()).isZero();

        JarProcess.Result status = run("status");
        assertThat(status.output()).contains("Seafile admin API " + seafile.url());
        for (JarProcess.Result result : List.of(clean, drift, repair, status)) {
            assertThat(result.output()).doesNotContain(FakeSeafile.TOKEN);
        }
    }
}
