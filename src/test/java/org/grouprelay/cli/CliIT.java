package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it: the shaded jar in its own process. */
class CliIT {
    @TempDir
    Path work;

    @Test
    void helpListsTheCommandsAndExitCodes() throws Exception {
        JarProcess.Result result = JarProcess.run(work, Map.of(), "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("serve", "check", "status", "reload", "keycloak-setup", "Exit codes:", "--version");
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
    void demoStartsWithoutConfigurationAnswersASearchAndStopsOnSigterm() throws Exception {
        try (JarProcess demo = JarProcess.start(work, Map.of(), "serve", "--demo")) {
            demo.awaitOutput("Press Ctrl+C to stop.", Duration.ofSeconds(60));
            try (LDAPConnection admin = new LDAPConnection("127.0.0.1", Demo.LDAP_PORT, "uid=admin,ou=system", Demo.ADMIN_PASSWORD)) {
                assertThat(admin.search("ou=groups,dc=example,dc=org", SearchScope.ONE, "(cn=engineering)", "member")
                        .getSearchEntries()).singleElement()
                        .satisfies(e -> assertThat(e.getAttributeValues("member")).contains("uid=alice,ou=people,dc=example,dc=org"));
            }
            try (LDAPConnection alice = new LDAPConnection("127.0.0.1", Demo.LDAP_PORT, "uid=alice,ou=people,dc=example,dc=org", "alice-password")) {
                assertThat(alice.isConnected()).isTrue();
            }
            // the demo relays: a member added over LDAP is a row in the embedded Seafile database
            java.util.regex.Matcher port = java.util.regex.Pattern.compile("MariaDB 127\\.0\\.0\\.1:(\\d+)").matcher(demo.output());
            assertThat(port.find()).as(demo.output()).isTrue();
            try (LDAPConnection admin = new LDAPConnection("127.0.0.1", Demo.LDAP_PORT, "uid=admin,ou=system", Demo.ADMIN_PASSWORD)) {
                admin.modify("cn=marketing,ou=groups,dc=example,dc=org",
                        new Modification(ModificationType.ADD, "member", "uid=bob,ou=people,dc=example,dc=org"));
            }
            try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port.group(1) + "/ccnet_db",
                    "seafile", Demo.DB_PASSWORD);
                    java.sql.ResultSet rows = db.createStatement().executeQuery(
                            "SELECT u.user_name FROM `Group` g JOIN GroupUser u USING (group_id) WHERE g.group_name = 'marketing' ORDER BY 1")) {
                java.util.List<String> users = new java.util.ArrayList<>();
                while (rows.next()) {
                    users.add(rows.getString(1));
                }
                assertThat(users).containsExactly("admin@example.org", "bob@example.org", "carol@example.org");
            }
            assertThat(demo.terminate()).isIn(0, 143);
            assertThat(demo.output()).contains("LDAP directory stopped");
        }
    }

    @Test
    void dataSurvivesKillMinus9() throws Exception {
        int port = TestDirectory.freePort();
        String shipped = Files.readString(TestDirectory.projectFile("conf/grouprelay.yaml"));
        // directory only: this test is about the directory's own durability
        Files.writeString(work.resolve("grouprelay.yaml"), shipped.substring(0, shipped.indexOf("\nseafile:"))
                .replace("port: 10389", "port: " + port)
                .replace("ldif/bootstrap.ldif", TestDirectory.projectFile("ldif/bootstrap.ldif").toAbsolutePath().toString()));
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
}
