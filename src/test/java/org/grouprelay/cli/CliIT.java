package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it: the production jar in its own process (the demo: {@link DemoIT}). */
class CliIT {
    @TempDir
    Path work;

    @Test
    void helpListsTheCommandsAndExitCodes() throws Exception {
        JarProcess.Result result = JarProcess.run(work, Map.of(), "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("serve", "check", "status", "reload", "memberships", "keycloak-setup", "Exit codes:", "--version");
    }

    @Test
    void versionNamesTheProductAndItsDirectory() throws Exception {
        JarProcess.Result result = JarProcess.run(work, Map.of(), "--version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).startsWith("grouprelay ").contains("ApacheDS 2.0.0.AM27");
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        JarProcess.Result result = JarProcess.run(work, Map.of(), "serve", "--demoo");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("Unknown option: '--demoo'");
    }

    @Test
    void aBadConfigurationIsOneLineAndExitCode2() throws Exception {
        Files.writeString(work.resolve("bad.yaml"), Files.readString(TestDirectory.projectFile("conf/grouprelay.yaml"))
                .replace("port: 10389", "port: 70000"));
        JarProcess.Result result = JarProcess.run(work, Map.of("GROUPRELAY_ADMIN_PASSWORD", "x", "SEAFILE_DB_PASSWORD", "y"),
                "serve", "--config", "bad.yaml");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output().strip())
                .isEqualTo("grouprelay: configuration error: directory.ldap.port: '70000' is not a TCP port; use a number from 1 to 65535");
    }

    @Test
    void aMissingConfigurationFileIsNamed() throws Exception {
        JarProcess.Result result = JarProcess.run(work, Map.of(), "serve");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("conf/grouprelay.yaml: configuration file does not exist; pass --config FILE or use --demo");
    }

    @Test
    void aTakenLdapPortIsOneLineNamingTheKeyAndExitCode3() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Files.writeString(work.resolve("grouprelay.yaml"), directoryOnly(port));
            JarProcess.Result result = JarProcess.run(work, Map.of("GROUPRELAY_ADMIN_PASSWORD", "taken-admin"), "serve", "--config", "grouprelay.yaml");
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.output()).isEqualTo("grouprelay: cannot start: port " + port
                    + " is in use (another server?); choose another with directory.ldap.port\n");
        }
    }

    @Test
    void dataSurvivesKillMinus9() throws Exception {
        int port = TestDirectory.freePort();
        // directory only: this test is about the directory's own durability
        Files.writeString(work.resolve("grouprelay.yaml"), directoryOnly(port));
        Map<String, String> env = Map.of("GROUPRELAY_ADMIN_PASSWORD", "crash-admin", "GROUPRELAY_KEYCLOAK_PASSWORD", "crash-kc",
                "SEAFILE_DB_PASSWORD", "unused");
        try (JarProcess server = JarProcess.start(work, env, "serve", "--config", "grouprelay.yaml")) {
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            try (LDAPConnection admin = new LDAPConnection("127.0.0.1", port, "uid=admin,ou=system", "crash-admin")) {
                admin.add(new Entry("cn=crashers,ou=groups,dc=example,dc=org", new Attribute("objectClass", "groupOfNames"),
                        new Attribute("cn", "crashers"), new Attribute("member", "cn=empty-membership-placeholder")));
                for (int i = 0; i < 50; i++) {
                    admin.add(new Entry("uid=c" + i + ",ou=people,dc=example,dc=org", new Attribute("objectClass", "inetOrgPerson"),
                            new Attribute("uid", "c" + i), new Attribute("sn", "C"), new Attribute("cn", "C")));
                    admin.modify("cn=crashers,ou=groups,dc=example,dc=org",
                            new Modification(ModificationType.ADD, "member", "uid=c" + i + ",ou=people,dc=example,dc=org"));
                }
            }
            server.kill();
        }
        try (JarProcess server = JarProcess.start(work, env, "serve", "--config", "grouprelay.yaml")) {
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            assertThat(server.output()).doesNotContain("first start");
            try (LDAPConnection admin = new LDAPConnection("127.0.0.1", port, "uid=admin,ou=system", "crash-admin")) {
                assertThat(admin.getEntry("cn=crashers,ou=groups,dc=example,dc=org").getAttributeValues("member")).hasSize(51);
                assertThat(admin.search("ou=people,dc=example,dc=org", SearchScope.ONE, "(uid=c*)").getEntryCount()).isEqualTo(50);
            }
            assertThat(server.terminate()).isIn(0, 143);
        }
    }

    /** The shipped configuration's directory section alone, listening on {@code port}, data in the work directory. */
    private static String directoryOnly(int port) throws Exception {
        String shipped = Files.readString(TestDirectory.projectFile("conf/grouprelay.yaml"));
        return shipped.substring(0, shipped.indexOf("\nseafile:"))
                .replace("port: 10389", "port: " + port)
                .replace("ldif/bootstrap.ldif", TestDirectory.projectFile("ldif/bootstrap.ldif").toAbsolutePath().toString());
    }
}
