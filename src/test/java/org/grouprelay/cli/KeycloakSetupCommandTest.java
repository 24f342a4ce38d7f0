package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.grouprelay.Main;
import org.grouprelay.config.Environment;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keycloak-setup's refusals: one line naming what to fix, exit 2, before or instead of a half-done setup. */
class KeycloakSetupCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    Run run(String yaml, Map<String, String> env) throws Exception {
        Path config = Files.writeString(dir.resolve("grouprelay.yaml"), yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"keycloak-setup", "--config", config.toString()}, new Environment(env),
                new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    String directory() {
        return """
                directory:
                  suffix: dc=example,dc=org
                  dataDir: %s
                  bootstrapLdif: %s
                  adminPassword: admin-pw
                  ldap: { host: 127.0.0.1, port: 10389 }
                  peopleDn: ou=people,dc=example,dc=org
                  groupsDn: ou=groups,dc=example,dc=org
                """.formatted(dir.resolve("data"), TestDirectory.projectFile("ldif/bootstrap.ldif"));
    }

    String keycloak(int port) {
        return """
                keycloak:
                  url: http://127.0.0.1:%d
                  realm: demo
                  clientId: grouprelay
                  clientSecret: follower-secret
                """.formatted(port);
    }

    @Test
    void withoutAKeycloakSectionItSaysWhatIsMissing() throws Exception {
        Run run = run(directory(), Map.of());
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(run.err().strip()).startsWith("grouprelay: configuration error: ").contains("keycloak: missing;").doesNotContain("\n");
    }

    @Test
    void withoutTheAdministratorsPasswordItNamesTheVariable() throws Exception {
        Run run = run(directory() + keycloak(8180), Map.of("GROUPRELAY_KEYCLOAK_PASSWORD", "kc"));
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(run.err()).contains("environment variable KEYCLOAK_ADMIN_PASSWORD is not set");
    }

    @Test
    void anUnreachableKeycloakIsOneLineAndNoStackTrace() throws Exception {
        int closed = TestDirectory.freePort();
        Run run = run(directory() + keycloak(closed), Map.of("KEYCLOAK_ADMIN_PASSWORD", "a", "GROUPRELAY_KEYCLOAK_PASSWORD", "kc"));
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE_OR_CONFIG);
        assertThat(run.err().strip()).startsWith("grouprelay: keycloak-setup: Keycloak http://127.0.0.1:" + closed + " is not reachable")
                .doesNotContain("\tat ").doesNotContain("\n");
        assertThat(run.out()).isEmpty();
    }
}
