package org.grouprelay.cli;

import org.grouprelay.config.RelayMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.grouprelay.config.Config;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.config.Endpoint;
import org.grouprelay.config.Environment;
import org.grouprelay.config.Secret;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import java.time.Duration;
import java.util.List;

/**
 * {@code serve --demo}: the shipped bootstrap and demo LDIF with fixed demo passwords, in a
 * temporary directory that is deleted on exit. Loopback only.
 */
final class Demo {
    static final String ADMIN_PASSWORD = "grouprelay-demo";
    static final String KEYCLOAK_PASSWORD = "keycloak-demo";
    static final int LDAP_PORT = 10389;

    static final String DB_PASSWORD = "seafile-demo";
    static final List<String> SEAFILE_USERS = List.of("alice@example.org", "bob@example.org", "carol@example.org", "admin@example.org");

    private final Path home;
    private EmbeddedSeafileDb seafile;

    private Demo(Path home) {
        this.home = home;
    }

    /** Starts the embedded MariaDB with Seafile's schema and a few Seafile accounts (dave has none: pending). */
    void startSeafile() throws IOException, java.sql.SQLException {
        seafile = EmbeddedSeafileDb.start(home.resolve("seafile-db"), 0, DB_PASSWORD);
        SEAFILE_USERS.forEach(user -> seafile.seedUser(user, true));
    }

    static Demo create() throws IOException {
        Path home = Files.createTempDirectory("grouprelay-demo-");
        try (Stream<String> names = Stream.of("ldif/bootstrap.ldif", "ldif/demo.ldif")) {
            StringBuilder ldif = new StringBuilder();
            names.forEach(name -> ldif.append(resource(name)).append('\n'));
            Files.writeString(home.resolve("demo.ldif"), ldif);
        }
        return new Demo(home);
    }

    Environment environment(Environment base) {
        return base.withDefaults(Map.of("GROUPRELAY_KEYCLOAK_PASSWORD", KEYCLOAK_PASSWORD));
    }

    Config config() {
        DirectoryConfig directory = new DirectoryConfig("dc=example,dc=org", home.resolve("data"), home.resolve("demo.ldif"),
                new Secret(ADMIN_PASSWORD), new Endpoint("127.0.0.1", LDAP_PORT), Optional.empty(), Optional.empty(),
                false, "ou=people,dc=example,dc=org", "ou=groups,dc=example,dc=org");
        SeafileConfig.Sql sql = new SeafileConfig.Sql(seafile.jdbcUrl(EmbeddedSeafileDb.CCNET),
                seafile.jdbcUrl(EmbeddedSeafileDb.SEAHUB), seafile.jdbcUrl(EmbeddedSeafileDb.SEAFILE), EmbeddedSeafileDb.USER,
                new Secret(DB_PASSWORD));
        return new Config(directory, Optional.of(new SeafileConfig(SeafileConfig.TargetKind.SQL, RelayMode.RELAY,
                NestedPolicy.FLATTEN, false, Optional.of(sql), Optional.empty(), List.of(new MappingRule(Strategy.EMAIL, null, "mail")),
                "admin@example.org", MembershipRules.KEYCLOAK_PLACEHOLDER, home.resolve("audit.jsonl"), Duration.ofSeconds(2))));
    }

    String banner(Config config) {
        DirectoryConfig d = config.directory();
        String url = "ldap://" + d.ldap();
        return String.join("\n",
                "grouprelay demo is running (data in " + home + ", deleted on exit)",
                "  LDAP      " + url + "   suffix " + d.suffix(),
                "  admin     uid=admin,ou=system  password " + ADMIN_PASSWORD,
                "  keycloak  uid=keycloak,ou=services," + d.suffix() + "  password " + KEYCLOAK_PASSWORD,
                "  users     alice, bob, carol, dave (password <name>-password)",
                "  Seafile   MariaDB 127.0.0.1:" + seafile.port() + "  user " + EmbeddedSeafileDb.USER + "  password " + DB_PASSWORD
                        + "  databases ccnet_db, seahub_db, seafile_db",
                "            accounts " + String.join(", ", SEAFILE_USERS) + " (dave has none: his memberships stay pending)",
                "  audit     " + home.resolve("audit.jsonl"),
                "  try       ldapsearch -x -H " + url + " -D uid=admin,ou=system -w " + ADMIN_PASSWORD
                        + " -b " + d.groupsDn() + " member",
                "            printf 'dn: cn=marketing," + d.groupsDn() + "\\nchangetype: modify\\nadd: member\\nmember: uid=bob,"
                        + d.peopleDn() + "\\n' | ldapmodify -x -H " + url + " -D uid=admin,ou=system -w " + ADMIN_PASSWORD,
                "            mariadb -h 127.0.0.1 -P " + seafile.port() + " -u seafile -p" + DB_PASSWORD
                        + " ccnet_db -e 'SELECT g.group_name, u.user_name FROM `Group` g JOIN GroupUser u USING (group_id)'",
                "Press Ctrl+C to stop.");
    }

    void delete() {
        if (seafile != null) {
            seafile.stop();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }

    private static String resource(String name) {
        try (InputStream in = Demo.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
