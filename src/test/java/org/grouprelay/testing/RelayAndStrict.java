package org.grouprelay.testing;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link RelayedDirectory} in relay mode and, on the same Seafile database and with the same people and
 * deadline, a second directory in strict mode: what the failure-mode tests stop and freeze the database under.
 * Register it as a static {@code @RegisterExtension} field: it starts before the class's first test, brings
 * the database back up after each test that stopped or froze it, and closes after the last.
 */
public final class RelayAndStrict implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final List<String> people;
    private final Duration deadline;
    private final RelayedDirectory relayed;
    private TestDirectory strict;

    private RelayAndStrict(List<String> people, List<String> accounts, Duration deadline) {
        this.people = List.copyOf(people);
        this.deadline = deadline;
        this.relayed = RelayedDirectory.of(people, accounts, Relaying.relayMode().deadline(deadline));
    }

    /** {@code people} in both directories, of whom {@code accounts} have Seafile accounts ({@code <name>@example.org}). */
    public static RelayAndStrict of(List<String> people, List<String> accounts, Duration deadline) {
        return new RelayAndStrict(people, accounts, deadline);
    }

    public TestSeafile seafile() {
        return relayed.seafile();
    }

    /** The directory in relay mode. */
    public TestDirectory relay() {
        return relayed.directory();
    }

    /** The directory in strict mode. */
    public TestDirectory strict() {
        return strict;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        relayed.beforeAll(context);
        strict = TestDirectory.create(LdapFixtures.people(people)).relayingTo(seafile(), Relaying.strictMode().deadline(deadline))
                .start();
    }

    /** After a test that stopped or froze it: the database runs and answers again. */
    @Override
    public void afterEach(ExtensionContext context) {
        seafile().resume();
        seafile().startServer();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (strict != null) {
                strict.close();
            }
        } finally {
            relayed.afterAll(context);
        }
    }
}
