package org.grouprelay.cli;

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

/**
 * {@code serve --demo}: the shipped bootstrap and demo LDIF with fixed demo passwords, in a
 * temporary directory that is deleted on exit. Loopback only.
 */
final class Demo {
    static final String ADMIN_PASSWORD = "grouprelay-demo";
    static final String KEYCLOAK_PASSWORD = "keycloak-demo";
    static final int LDAP_PORT = 10389;

    private final Path home;

    private Demo(Path home) {
        this.home = home;
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
        return new Config(new DirectoryConfig("dc=example,dc=org", home.resolve("data"), home.resolve("demo.ldif"),
                new Secret(ADMIN_PASSWORD), new Endpoint("127.0.0.1", LDAP_PORT), Optional.empty(), Optional.empty(),
                false, "ou=people,dc=example,dc=org", "ou=groups,dc=example,dc=org"));
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
                "  try       ldapsearch -x -H " + url + " -D uid=admin,ou=system -w " + ADMIN_PASSWORD
                        + " -b " + d.groupsDn() + " member",
                "Press Ctrl+C to stop.");
    }

    void delete() {
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
