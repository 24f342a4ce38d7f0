package org.grouprelay.testing;

import java.time.Duration;
import java.util.List;

/**
 * One Seafile database and two directories holding the same people that relay to it, one in relay mode and
 * one in strict mode, with the same deadline: what the failure-mode tests stop and freeze the database under.
 * Started once per test class.
 */
public record RelayAndStrict(TestSeafile seafile, TestDirectory relay, TestDirectory strict) implements AutoCloseable {
    /** {@code people} in both directories, of whom {@code accounts} have Seafile accounts ({@code <name>@example.org}). */
    public static RelayAndStrict start(List<String> people, List<String> accounts, Duration deadline) throws Exception {
        TestSeafile seafile = TestSeafile.start();
        seafile.seedAccounts(accounts);
        String ldif = LdapFixtures.people(people);
        TestDirectory relay = TestDirectory.create(ldif).relayingTo(seafile, Relaying.relayMode().deadline(deadline)).start();
        TestDirectory strict = TestDirectory.create(ldif).relayingTo(seafile, Relaying.strictMode().deadline(deadline)).start();
        return new RelayAndStrict(seafile, relay, strict);
    }

    /** After a test that stopped or froze it: the database runs and answers again. */
    public void databaseBackUp() {
        seafile.resume();
        seafile.startServer();
    }

    @Override
    public void close() {
        relay.close();
        strict.close();
        seafile.close();
    }
}
