package org.grouprelay.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A directory running in the test's JVM that relays to a real MariaDB, and the jar's commands ({@code check},
 * {@code status}) run beside it in their own process, as operators run them. Register it as a static
 * {@code @RegisterExtension} field: it starts before the class's first test and closes after its last.
 */
public final class RelayedDirectory implements BeforeAllCallback, AfterAllCallback {
    private final List<String> people;
    private final List<String> accounts;
    private final Relaying how;
    private TestSeafile seafile;
    private TestDirectory directory;

    private RelayedDirectory(List<String> people, List<String> accounts, Relaying how) {
        this.people = List.copyOf(people);
        this.accounts = List.copyOf(accounts);
        this.how = how;
    }

    /** {@code people} in the directory, of whom {@code accounts} have Seafile accounts ({@code <name>@example.org}). */
    public static RelayedDirectory of(List<String> people, List<String> accounts, Relaying how) {
        return new RelayedDirectory(people, accounts, how);
    }

    public TestSeafile seafile() {
        return seafile;
    }

    public TestDirectory directory() {
        return directory;
    }

    /** A config for the jar's commands: this directory's data, LDAP port and audit log, and the SQL target with its password. */
    public ConfigYaml configYaml() {
        return ConfigYaml.of(directory).seafileSql(seafile);
    }

    /** Writes {@code yaml} into the directory's home as {@code fileName}. */
    public Path writeConfig(String fileName, ConfigYaml yaml) throws Exception {
        return yaml.writeTo(directory.home().resolve(fileName));
    }

    /** {@code command --config config args...} in the directory's home, with the passwords a {@link #configYaml()} refers to. */
    public JarProcess.Result run(Path config, String command, String... args) throws Exception {
        Map<String, String> env = configYaml().environment(TestDirectory.ADMIN_PASSWORD, TestDirectory.KEYCLOAK_PASSWORD);
        return JarProcess.run(directory.home(), env, config, command, args);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts(accounts);
        directory = TestDirectory.create(LdapFixtures.people(people)).relayingTo(seafile, how).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (directory != null) {
                directory.close();
            }
        } finally {
            if (seafile != null) {
                seafile.close();
            }
        }
    }
}
