package org.grouprelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.RelayAndStrict;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

/**
 * MariaDB stopped for a few seconds while four clients keep changing members: relay mode keeps
 * answering within the deadline and drains everything, in order, once the database is back; strict
 * mode refuses with 52 while it is down and leaves nothing half-applied.
 */
class OutageUnderLoadIT {
    static final Duration DEADLINE = Duration.ofMillis(1000);
    static final int CLIENTS = 4;
    static final int CHANGES_PER_CLIENT = 40;
    static final int USERS = 20;
    /** o0 … o19, each with a Seafile account. */
    static final List<String> NAMES = IntStream.range(0, USERS).mapToObj(i -> "o" + i).toList();
    @RegisterExtension
    static final RelayAndStrict SETUP = RelayAndStrict.of(NAMES, NAMES, DEADLINE);

    /** What one client was told: the members its group has after its acknowledged changes. */
    record Outcome(String group, Set<Integer> members, int acknowledged, int refused, long slowestMs) {
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void relayModeAnswersThroughAnOutageAndDrainsInOrderWithoutDuplicates() throws Exception {
        List<Outcome> outcomes = underOutage(SETUP.relay(), "relay-load");
        assertThat(SETUP.relay().relay().relay().orElseThrow().awaitDrained(Duration.ofSeconds(90))).as("outbox drained").isTrue();
        for (Outcome o : outcomes) {
            assertThat(o.refused()).as("refusals in relay mode (%s)", o.group()).isZero();
            assertThat(o.acknowledged()).isEqualTo(CHANGES_PER_CLIENT);
            // answered once the deadline passed, never held until the database came back
            assertThat(o.slowestMs()).as("slowest reply of %s (ms)", o.group()).isLessThan(DEADLINE.toMillis() * 5);
            assertThat(seafileMembers(o.group())).as("Seafile members of %s", o.group()).isEqualTo(names(o.members()));
            assertThat(directoryMembers(SETUP.relay(), o.group())).isEqualTo(names(o.members()));
        }
        assertThat(SETUP.seafile().query(EmbeddedSeafileDb.CCNET, "SELECT group_id, user_name, COUNT(*) AS n FROM GroupUser"
                + " GROUP BY group_id, user_name HAVING n > 1")).as("duplicate GroupUser rows").isEmpty();
        List<String> audit = Files.readAllLines(SETUP.relay().auditLog());
        assertThat(audit).as("audit").anySatisfy(l -> assertThat(l).contains("relay-load", "\"outcome\":\"queued\""))
                .anySatisfy(l -> assertThat(l).contains("relay-load", "applied after"));
        System.out.printf("OutageUnderLoadIT relay: %s%n", outcomes);
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void strictModeRefusesWith52DuringAnOutageAndHalfAppliesNothing() throws Exception {
        List<Outcome> outcomes = underOutage(SETUP.strict(), "strict-load");
        int refused = outcomes.stream().mapToInt(Outcome::refused).sum();
        assertThat(refused).as("changes refused while the database was down").isPositive();
        // a change whose Seafile commit failed after the directory committed it is queued, not lost
        assertThat(SETUP.strict().relay().relay().orElseThrow().awaitDrained(Duration.ofSeconds(90))).as("outbox drained").isTrue();
        for (Outcome o : outcomes) {
            assertThat(directoryMembers(SETUP.strict(), o.group())).as("directory members of %s: acknowledged changes only", o.group())
                    .isEqualTo(names(o.members()));
            assertThat(seafileMembers(o.group())).as("Seafile members of %s", o.group()).isEqualTo(names(o.members()));
        }
        System.out.printf("OutageUnderLoadIT strict: %s%n", outcomes);
    }

    /** Four clients change their own group's members; after a quarter of the changes the database stops for 3 s. */
    private static List<Outcome> underOutage(TestDirectory directory, String prefix) throws Exception {
        try (LDAPConnection admin = directory.admin()) {
            for (int c = 0; c < CLIENTS; c++) {
                LdapFixtures.createGroup(admin, prefix + "-" + c);
            }
        }
        AtomicInteger progress = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String group = prefix + "-" + c;
            long seed = 77 + c;
            futures.add(pool.submit(() -> client(directory, group, seed, progress)));
        }
        pool.shutdown();
        while (progress.get() < CLIENTS * CHANGES_PER_CLIENT / 4) {
            Thread.sleep(5);
        }
        SETUP.seafile().stopServer();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until) {
            Thread.sleep(50);
        }
        SETUP.seafile().startServer();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            outcomes.add(f.get(180, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private static Outcome client(TestDirectory directory, String group, long seed, AtomicInteger progress) throws Exception {
        Random random = new Random(seed);
        Set<Integer> members = new TreeSet<>();
        int acknowledged = 0;
        int refused = 0;
        AtomicLong slowest = new AtomicLong();
        try (LDAPConnection ldap = directory.admin()) {
            for (int i = 0; i < CHANGES_PER_CLIENT; i++) {
                int user = random.nextInt(USERS);
                boolean add = !members.contains(user);
                long started = System.nanoTime();
                try {
                    ldap.modify("cn=" + group + "," + GROUPS, new Modification(add ? ModificationType.ADD : ModificationType.DELETE,
                            "member", "uid=o" + user + "," + PEOPLE));
                    if (add) {
                        members.add(user);
                    } else {
                        members.remove(user);
                    }
                    acknowledged++;
                } catch (LDAPException e) {
                    assertThat(e.getResultCode()).as("refusal of %s: %s", group, e.getDiagnosticMessage()).isEqualTo(ResultCode.UNAVAILABLE);
                    assertThat(e.getDiagnosticMessage()).contains("strict mode");
                    refused++;
                }
                slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), Math::max);
                progress.incrementAndGet();
            }
        }
        return new Outcome(group, members, acknowledged, refused, slowest.get());
    }

    private static Set<String> names(Set<Integer> members) {
        Set<String> names = new TreeSet<>();
        members.forEach(i -> names.add("o" + i + "@example.org"));
        return names;
    }

    private static Set<String> directoryMembers(TestDirectory directory, String cn) throws Exception {
        Set<String> members = new TreeSet<>();
        try (LDAPConnection ldap = directory.admin()) {
            for (String dn : ldap.getEntry("cn=" + cn + "," + GROUPS, "member").getAttributeValues("member")) {
                String lower = dn.toLowerCase(Locale.ROOT);
                if (lower.startsWith("uid=")) {
                    members.add(lower.substring(4, lower.indexOf(',')) + "@example.org");
                }
            }
        }
        return members;
    }

    private static Set<String> seafileMembers(String cn) {
        List<Map<String, Object>> groups = SETUP.seafile().query(EmbeddedSeafileDb.CCNET, "SELECT group_id FROM `Group` WHERE BINARY group_name = ?", cn);
        assertThat(groups).as("Seafile groups named %s", cn).hasSize(1);
        Set<String> members = new TreeSet<>(SETUP.seafile().groupUsers(((Number) groups.get(0).get("group_id")).longValue()));
        members.remove(TestDirectory.GROUP_CREATOR.toLowerCase(Locale.ROOT));
        return members;
    }
}
