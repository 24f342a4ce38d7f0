package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.testing.FakeSeafile;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code grouprelay check} and {@code status} with {@code seafile.target: api}: the jar in its own process, beside a running directory. */
class ApiCheckCliIT {
    static FakeSeafile seafile;
    static TestDirectory directory;
    static Path config;
    static final Map<String, String> ENV = Map.of("GROUPRELAY_ADMIN_PASSWORD", TestDirectory.ADMIN_PASSWORD,
            "GROUPRELAY_KEYCLOAK_PASSWORD", TestDirectory.KEYCLOAK_PASSWORD, "SEAFILE_ADMIN_TOKEN", FakeSeafile.TOKEN);

    @BeforeAll
    static void start() throws Exception {
        seafile = FakeSeafile.start();
        StringBuilder people = new StringBuilder();
        for (String name : List.of("alice", "bob", "carol")) {
            people.append(LdapFixtures.person(name));
            seafile.state().addUser(name + "@example.org", null);
        }
        directory = TestDirectory.create(people.toString()).relayingToApi(seafile, SeafileConfig.Mode.RELAY,
                List.of(new MappingRule(Strategy.EMAIL, null, "mail")), Duration.ofSeconds(2)).start();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "api-team", "alice", "bob");
        }
        String yaml = """
                directory:
                  suffix: dc=example,dc=org
                  dataDir: %s
                  bootstrapLdif: %s
                  adminPassword: ${GROUPRELAY_ADMIN_PASSWORD}
                  ldap: { host: 127.0.0.1, port: %d }
                  peopleDn: ou=people,dc=example,dc=org
                  groupsDn: ou=groups,dc=example,dc=org
                seafile:
                  target: api
                  api:
                    url: %s
                    token: ${SEAFILE_ADMIN_TOKEN}
                    timeoutSeconds: 5
                    maxRequestsPerSecond: 50
                  users: [ { strategy: email } ]
                  groupCreator: Admin@Example.org
                  auditLog: %s
                """.formatted(directory.config().dataDir(), directory.config().bootstrapLdif(), directory.ldapPort(), seafile.url(),
                directory.auditLog());
        config = Files.writeString(directory.home().resolve("api.yaml"), yaml);
    }

    @AfterAll
    static void stop() {
        directory.close();
        seafile.close();
    }

    static JarProcess.Result run(String command, String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--config";
        all[2] = config.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return JarProcess.run(directory.home(), ENV, all);
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
