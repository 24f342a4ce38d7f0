package org.grouprelay.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.grouprelay.config.EntraConfig;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.graph.EntraTargets;
import org.grouprelay.testing.graph.FakeGraph;

/**
 * The Entra target end to end (directory → relay → Entra target → the Graph fake in the test JVM): Graph requests per
 * member change, and for 1,000 members arriving as Keycloak writes them (one modify per member) and as one modify with
 * all of them. Run by hand:
 * {@code java -cp target/classes:target/test-classes:<test classpath> org.grouprelay.bench.EntraBench}.
 */
public final class EntraBench {
    private static final int BATCH = 1000;
    private static final int SINGLE = 200;

    private EntraBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>(List.of("alice", "bob"));
        for (int i = 0; i < BATCH; i++) {
            names.add("bulk" + i);
        }
        try (FakeGraph graph = FakeGraph.start()) {
            names.forEach(n -> graph.addUser(n, n + "@example.org"));
            List<EntraConfig.GroupMapping> groups = new ArrayList<>();
            for (String group : List.of("single", "keycloak-sync", "one-modify")) {
                groups.add(new EntraConfig.GroupMapping(group, graph.addGroup(group).id()));
            }
            TestDirectory directory = TestDirectory.create(LdapFixtures.people(names));
            directory.alsoRelayingTo(EntraTargets.of("m365", graph, directory.config().dataDir(), groups, false)).start();
            try (LDAPConnection ldap = directory.admin()) {
                LdapFixtures.createGroup(ldap, "single", "alice", "bob");
                graph.clearRequests();
                for (int i = 0; i < SINGLE; i++) {
                    LdapFixtures.modify(ldap, "single", i % 2 == 0 ? ModificationType.DELETE : ModificationType.ADD, "bob");
                }
                System.out.printf(Locale.ROOT, "member changes, users seen before: %d changes, %d Graph requests (%.2f per change)%n", SINGLE,
                        graph.requests().size(), graph.requests().size() / (double) SINGLE);

                String[] bulk = names.stream().filter(n -> n.startsWith("bulk")).toArray(String[]::new);
                LdapFixtures.createGroup(ldap, "keycloak-sync");
                graph.clearRequests();
                long started = System.nanoTime();
                for (String user : bulk) {
                    LdapFixtures.modify(ldap, "keycloak-sync", ModificationType.ADD, user);
                }
                report("1,000 members, one modify each (Keycloak's way), users not seen before", graph, started, "keycloak-sync", groups);

                LdapFixtures.createGroup(ldap, "one-modify");
                graph.clearRequests();
                started = System.nanoTime();
                LdapFixtures.modify(ldap, "one-modify", ModificationType.ADD, bulk);
                report("1,000 members in one modify, users seen before", graph, started, "one-modify", groups);
            } finally {
                directory.close();
            }
        }
    }

    private static void report(String what, FakeGraph graph, long started, String group, List<EntraConfig.GroupMapping> groups) {
        double seconds = (System.nanoTime() - started) / 1e9;
        String id = groups.stream().filter(g -> g.directory().equals(group)).findFirst().orElseThrow().entra();
        long patches = graph.requests().stream().filter(r -> r.method().equals("PATCH")).count();
        long batches = graph.requests().stream().filter(r -> r.path().contains("$batch")).count();
        System.out.printf(Locale.ROOT, "%s: %.2f s, in Entra: %d, %d Graph requests (%d PATCH, %d $batch)%n", what, seconds,
                graph.members(id).size(), graph.requests().size(), patches, batches);
    }
}
