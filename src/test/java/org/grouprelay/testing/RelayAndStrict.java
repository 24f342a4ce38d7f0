package org.grouprelay.testing;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Seafile database and two directories holding the same people that relay to it, one in relay mode and
 * one in strict mode, with the same deadline: what the failure-mode tests stop and freeze the database under.
 * Register it as a static {@code @RegisterExtension} field: it starts before the class's first test, brings
 * the database back up after each test that stopped or froze it, and closes after the last.
 */
public final class RelayAndStrict implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final List<String> people;
    private final List<String> accounts;
    private final Duration deadline;
    private TestSeafile seafile;
    private TestDirectory relay;
    private TestDirectory strict;

    private RelayAndStrict(List<String> people, List<String> accounts, Duration deadline) {
        this.people = List.copyOf(people);
        this.accounts = List.copyOf(accounts);
        this.deadline = deadline;
    }

    /** {@code people} in both directories, of whom {@code accounts} have Seafile accounts ({@code <name>@example.org}). */
    public static RelayAndStrict of(List<String> people, List<String> accounts, Duration deadline) {
        return new RelayAndStrict(people, accounts, deadline);
    }

    public TestSeafile seafile() {
        return seafile;
    }

    /** The directory in relay mode. */
    public TestDirectory relay() {
        return relay;
    }

    /** The directory in strict mode. */
    public TestDirectory strict() {
        return strict;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts(accounts);
        String ldif = LdapFixtures.people(people);
        relay = TestDirectory.create(ldif).relayingTo(seafile, Relaying.relayMode().deadline(deadline)).start();
        strict = TestDirectory.create(ldif).relayingTo(seafile, Relaying.strictMode().deadline(deadline)).start();
    }

    /** After a test that stopped or froze it: the database runs and answers again. */
    @Override
    public void afterEach(ExtensionContext context) {
        seafile.resume();
        seafile.startServer();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (AutoCloseable server : new AutoCloseable[] {relay, strict, seafile}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("closing " + server, e);
            }
        }
    }
}
