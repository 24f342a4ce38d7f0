package org.grouprelay.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.testing.FakeSeafile;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;

/**
 * The admin API target end to end (directory → relay → API target → the in-process fake Seafile):
 * HTTP requests per relayed member change, and the time and requests for one LDAP modify that adds
 * (then removes) 1,000 members. Run by hand:
 * {@code java -cp target/classes:target/test-classes:<test classpath> org.grouprelay.bench.ApiBench [maxRequestsPerSecond]}
 * ({@code -Dbench.trace=1} prints when the first requests reached the fake, relative to the LDAP call).
 * The fake answers in well under a millisecond, so the figures show grouprelay's own cost and its rate limit.
 */
public final class ApiBench {
    private static final int BATCH = 1000;
    private static final int SINGLE = 100;

    private ApiBench() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (FakeSeafile seafile = FakeSeafile.start()) {
            StringBuilder people = new StringBuilder(LdapFixtures.person("alice"));
            seafile.state().addUser("alice@example.org", null);
            for (int i = 0; i < BATCH; i++) {
                people.append(LdapFixtures.person("bulk" + i));
                seafile.state().addUser("bulk" + i + "@example.org", null);
            }
            TestDirectory directory = TestDirectory.create(people.toString()).relayingToApi(seafile, Relaying.relayMode());
            directory = withRate(directory, seafile, rate);
            try (TestDirectory running = directory.start(); LDAPConnection ldap = running.admin()) {
                LdapFixtures.createGroup(ldap, "bench");
                long id = seafile.state().groups().get(0).id();
                LdapFixtures.modify(ldap, "bench", ModificationType.ADD, "alice"); // warm-up: index read, group seen
                LdapFixtures.modify(ldap, "bench", ModificationType.DELETE, "alice");

                int before = seafile.requestCount();
                long started = System.nanoTime();
                for (int i = 0; i < SINGLE / 2; i++) {
                    long t0 = System.nanoTime();
                    LdapFixtures.modify(ldap, "bench", ModificationType.ADD, "alice");
                    long t1 = System.nanoTime();
                    LdapFixtures.modify(ldap, "bench", ModificationType.DELETE, "alice");
                    if (System.getProperty("bench.trace") != null && i < 5) {
                        List<FakeSeafile.Call> calls = seafile.calls();
                        FakeSeafile.Call add = calls.get(calls.size() - 2);
                        FakeSeafile.Call del = calls.get(calls.size() - 1);
                        System.out.printf("add: request at +%.1f ms, reply at +%.1f ms; remove: request at +%.1f ms, reply at +%.1f ms%n",
                                (add.atNanos() - t0) / 1e6, (t1 - t0) / 1e6, (del.atNanos() - t1) / 1e6, (System.nanoTime() - t1) / 1e6);
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("maxRequestsPerSecond %d%n", rate);
                System.out.printf("single member changes: %d changes, %d HTTP requests (%.2f per change), %.1f changes/s%n",
                        SINGLE, seafile.requestCount() - before, (double) (seafile.requestCount() - before) / SINGLE, SINGLE / seconds);

                String[] dns = new String[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    dns[i] = "uid=bulk" + i + "," + TestDirectory.PEOPLE;
                }
                for (int round = 1; round <= 3; round++) {
                    before = seafile.requestCount();
                    started = System.nanoTime();
                    ldap.modify("cn=bench," + TestDirectory.GROUPS, new Modification(ModificationType.ADD, "member", dns));
                    await(() -> seafile.state().members(id).size() == BATCH + 1);
                    seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf("round %d: 1,000-member add in one modify: %.3f s (%.0f members/s), %d HTTP requests%n",
                            round, seconds, BATCH / seconds, seafile.requestCount() - before);
                    before = seafile.requestCount();
                    started = System.nanoTime();
                    ldap.modify("cn=bench," + TestDirectory.GROUPS, new Modification(ModificationType.DELETE, "member", dns));
                    await(() -> seafile.state().members(id).size() == 1);
                    seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf("round %d: 1,000-member removal in one modify: %.3f s (%.0f members/s), %d HTTP requests%n",
                            round, seconds, BATCH / seconds, seafile.requestCount() - before);
                }
            }
        }
    }

    private static TestDirectory withRate(TestDirectory directory, FakeSeafile seafile, int rate) {
        SeafileConfig base = directory.fullConfig().seafile().orElseThrow();
        SeafileConfig.Api api = base.api().orElseThrow();
        List<MappingRule> users = new ArrayList<>(base.users());
        return directory.relayingTo(new SeafileConfig(base.target(), base.mode(), base.nested(), base.adopt(), base.sql(),
                java.util.Optional.of(new SeafileConfig.Api(api.url(), api.token(), api.username(), api.password(), api.timeout(), rate,
                        api.caFile())), users, base.groupCreator(), base.placeholderMember(), base.auditLog(), base.deadline()));
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        if (!done.getAsBoolean()) {
            throw new IllegalStateException("not applied within 5 minutes");
        }
    }
}
