package org.grouprelay.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.grouprelay.config.RelayMode;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.grouprelay.testing.scim.ScimProfile;
import org.grouprelay.testing.scim.ScimServer;
import org.grouprelay.testing.scim.ScimTargets;

/**
 * The SCIM target end to end (directory → relay → SCIM target → the SCIM SDK server in the test JVM, strict profile):
 * HTTP requests per relayed member change; one LDAP modify that adds 1,000 members who have no SCIM user yet (requests
 * and time until the reply, which comes once the application has them); and the LDAP reply's p50/p99 for member
 * modifies with one target (Seafile's tables) against two (Seafile + SCIM), in the same run. Run by hand:
 * {@code java -cp target/classes:target/test-classes:<test classpath> org.grouprelay.bench.ScimBench}.
 */
public final class ScimBench {
    private static final int BATCH = 1000;
    private static final int SINGLE = 200;
    private static final int LATENCY_WRITES = 400;

    private ScimBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>(List.of("alice", "bob"));
        for (int i = 0; i < BATCH; i++) {
            names.add("bulk" + i);
        }
        try (TestSeafile seafile = TestSeafile.start(); ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
            seafile.seedAccounts(names);
            requestsPerChange(scim, names);
            for (boolean two : new boolean[] {false, true, false, true}) {
                latency(seafile, two ? scim : null, names);
            }
        }
    }

    private static void requestsPerChange(ScimServer scim, List<String> names) throws Exception {
        TestDirectory directory = TestDirectory.create(LdapFixtures.people(names));
        directory.alsoRelayingTo(ScimTargets.of("apps", scim, directory.config().dataDir(), RelayMode.RELAY, Duration.ofSeconds(30))).start();
        try (LDAPConnection ldap = directory.admin()) {
            LdapFixtures.createGroup(ldap, "single", "alice", "bob");
            scim.clearRequests();
            for (int i = 0; i < SINGLE; i++) {
                LdapFixtures.modify(ldap, "single", i % 2 == 0 ? ModificationType.DELETE : ModificationType.ADD, "bob");
            }
            List<ScimServer.Recorded> single = scim.requests();
            long removes = single.stream().filter(r -> r.body().contains("\"remove\"")).count();
            System.out.printf(Locale.ROOT, "member changes, users seen before: %d changes, %d requests (%.2f per change; %d removals as %d filtered removes)%n",
                    SINGLE, single.size(), single.size() / (double) SINGLE, SINGLE / 2, removes);

            LdapFixtures.createGroup(ldap, "bulk");
            scim.clearRequests();
            String[] bulk = names.stream().filter(n -> n.startsWith("bulk")).toArray(String[]::new);
            long started = System.nanoTime();
            LdapFixtures.modify(ldap, "bulk", ModificationType.ADD, bulk);
            double seconds = (System.nanoTime() - started) / 1e9;
            List<ScimServer.Recorded> requests = scim.requests();
            long patches = requests.stream().filter(r -> r.method().equals("PATCH")).count();
            long creates = requests.stream().filter(r -> r.method().equals("POST") && r.path().startsWith("/Users")).count();
            long lookups = requests.stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/Users")).count();
            System.out.printf(Locale.ROOT, "one modify adding %d members without SCIM users: reply after %.2f s, in the app: %d; requests %d"
                    + " (%d PATCH, %d user lookups, %d user creations)%n", BATCH, seconds,
                    scim.groupByDisplayName("bulk").orElseThrow().memberIds().size(), requests.size(), patches, lookups, creates);
            scim.clearRequests();
            started = System.nanoTime();
            LdapFixtures.modify(ldap, "bulk", ModificationType.DELETE, bulk);
            System.out.printf(Locale.ROOT, "one modify removing them: reply after %.2f s, %d requests%n", (System.nanoTime() - started) / 1e9,
                    scim.requests().size());
        } finally {
            directory.close();
        }
    }

    private static void latency(TestSeafile seafile, ScimServer scim, List<String> names) throws Exception {
        TestDirectory directory = TestDirectory.create(LdapFixtures.people(names)).relayingTo(seafile, Relaying.relayMode());
        if (scim != null) {
            directory.alsoRelayingTo(ScimTargets.of("apps", scim, directory.config().dataDir(), RelayMode.RELAY, Duration.ofSeconds(2)));
        }
        directory.start();
        try (LDAPConnection ldap = directory.admin()) {
            String group = "lat-" + System.nanoTime();
            LdapFixtures.createGroup(ldap, group, "alice");
            Latencies latencies = new Latencies();
            for (int i = 0; i < LATENCY_WRITES; i++) {
                long started = System.nanoTime();
                LdapFixtures.modify(ldap, group, i % 2 == 0 ? ModificationType.ADD : ModificationType.DELETE, "bulk" + (i / 2 % BATCH));
                latencies.record(System.nanoTime() - started);
            }
            Latencies.Summary s = latencies.summary();
            System.out.printf(Locale.ROOT, "%-18s %d member modifies, one client: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    scim == null ? "Seafile only:" : "Seafile + SCIM:", s.count(), s.percentileMs(50), s.percentileMs(99), s.maxMs());
        } finally {
            directory.close();
            seafile.reset();
            seafile.seedAccounts(names);
        }
    }
}
