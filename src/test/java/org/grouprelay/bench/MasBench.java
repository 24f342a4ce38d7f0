package org.grouprelay.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.util.List;
import java.util.Locale;
import org.grouprelay.config.MasConfig;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.mas.FakeMas;
import org.grouprelay.testing.mas.MasTargets;

/**
 * The MAS target end to end (directory → relay → MAS target → the MAS fake in the test JVM): requests per membership
 * change, and the time from a removal's LDAP modify to its reply, which comes once the account is off. Run by hand:
 * {@code java -cp target/classes:target/test-classes:<test classpath> org.grouprelay.bench.MasBench}.
 */
public final class MasBench {
    private static final int CHANGES = 200;

    private MasBench() {
    }

    public static void main(String[] args) throws Exception {
        try (FakeMas mas = FakeMas.start()) {
            mas.addAccount("alice");
            mas.addAccount("bob");
            TestDirectory directory = TestDirectory.create(LdapFixtures.people(List.of("alice", "bob")));
            directory.alsoRelayingTo(MasTargets.of("matrix", mas, directory.config().dataDir(), "matrix-users", MasConfig.Offboard.DEACTIVATE))
                    .start();
            try (LDAPConnection ldap = directory.admin()) {
                LdapFixtures.createGroup(ldap, "matrix-users", "alice", "bob");
                mas.clearRequests();
                Latencies removals = new Latencies();
                for (int i = 0; i < CHANGES; i++) {
                    boolean remove = i % 2 == 0;
                    long started = System.nanoTime();
                    LdapFixtures.modify(ldap, "matrix-users", remove ? ModificationType.DELETE : ModificationType.ADD, "bob");
                    if (remove) {
                        removals.record(System.nanoTime() - started);
                    }
                }
                long tokens = mas.requests().stream().filter(r -> r.path().startsWith("/oauth2")).count();
                System.out.printf(Locale.ROOT, "%d membership changes (removal: read + deactivate; add back: read + reactivate + unlock):"
                        + " %d MAS requests (%.2f per change, %d of them token requests)%n", CHANGES, mas.requests().size(),
                        mas.requests().size() / (double) CHANGES, tokens);
                Latencies.Summary s = removals.summary();
                System.out.printf(Locale.ROOT, "removal → account deactivated (the LDAP reply): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        s.percentileMs(50), s.percentileMs(99), s.maxMs());
            } finally {
                directory.close();
            }
        }
    }
}
