package org.grouprelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.ResultCode;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.grouprelay.GroupRelay;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.reconcile.CheckService;
import org.grouprelay.reconcile.InProcessDirectorySource;
import org.grouprelay.reconcile.Plan;
import org.grouprelay.targets.seafile.sql.SqlTarget;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sixteen LDAP clients add and remove overlapping members of one group while another renames it
 * again and again, against a directory relaying to a real MariaDB. Afterwards Seafile equals the
 * directory, nobody hung, and the audit log has exactly one applied line per acknowledged change.
 */
class ConcurrencyIT {
    static final int CLIENTS = 16;
    static final int OPERATIONS_PER_CLIENT = 40;
    static final int USERS = 24;
    static final int RENAMES = 12;
    static TestSeafile seafile;
    static TestDirectory directory;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        List<String> users = IntStream.range(0, USERS).mapToObj(i -> "c" + i).toList();
        seafile.seedAccounts(users);
        directory = TestDirectory.create(LdapFixtures.people(users)).relayingTo(seafile, Relaying.relayMode()).start();
    }

    @AfterAll
    static void stop() {
        directory.close();
        seafile.close();
    }

    /** What the clients were told: successful adds and removes per user, and the codes of refused ones. */
    record Tally(Map<String, AtomicInteger> added, Map<String, AtomicInteger> removed, Map<Integer, AtomicInteger> refused) {
        Tally() {
            this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }

        int total(Map<String, AtomicInteger> counts) {
            return counts.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void sixteenClientsAndARenameConvergeWithACompleteAuditLog() throws Exception {
        AtomicReference<String> name = new AtomicReference<>("conc-0");
        try (LDAPConnection admin = directory.admin()) {
            LdapFixtures.createGroup(admin, name.get());
        }
        Tally tally = new Tally();
        AtomicInteger renames = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long seed = 1000 + c;
            work.add(pool.submit(() -> client(seed, name, tally)));
        }
        work.add(pool.submit(() -> renamer(name, renames, tally)));
        pool.shutdown();
        // no deadlock: every client finishes, whatever the lock order inside the directory and the relay
        assertThat(pool.awaitTermination(150, TimeUnit.SECONDS)).as("all %d clients and the renamer finished", CLIENTS).isTrue();
        for (Future<?> f : work) {
            f.get();
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(directory.relay().relay().orElseThrow().awaitDrained(Duration.ofSeconds(60))).isTrue();

        Set<String> inDirectory;
        String uuid;
        try (LDAPConnection admin = directory.admin()) {
            var entry = admin.getEntry("cn=" + name.get() + "," + GROUPS, "member", "entryUUID");
            uuid = entry.getAttributeValue("entryUUID");
            inDirectory = new TreeSet<>();
            for (String dn : entry.getAttributeValues("member")) {
                if (dn.toLowerCase(Locale.ROOT).startsWith("uid=")) {
                    inDirectory.add(dn.substring(4, dn.indexOf(',')) + "@example.org");
                }
            }
        }
        long groupId = linkedGroup(uuid);
        Map<String, Object> row = seafile.query(EmbeddedSeafileDb.CCNET, "SELECT group_name FROM `Group` WHERE group_id = ?", groupId).get(0);
        assertThat(row.get("group_name")).as("Seafile's name after %d renames", renames.get()).isEqualTo(name.get());
        Set<String> inSeafile = new TreeSet<>(seafile.groupUsers(groupId));
        inSeafile.remove(TestDirectory.GROUP_CREATOR.toLowerCase(Locale.ROOT));
        assertThat(inSeafile).as("Seafile members").isEqualTo(inDirectory);
        assertInSync();

        Map<String, Integer> auditAdded = new TreeMap<>();
        Map<String, Integer> auditRemoved = new TreeMap<>();
        int auditRenamed = 0;
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(directory.auditLog())) {
            JsonNode e = json.readTree(line);
            if (!uuid.equals(e.path("groupUuid").asText()) || !e.path("outcome").asText().equals("applied")) {
                continue;
            }
            String user = e.path("user").asText("").toLowerCase(Locale.ROOT);
            switch (e.path("change").asText()) {
                case "member-added" -> auditAdded.merge(user, 1, Integer::sum);
                case "member-removed" -> auditRemoved.merge(user, 1, Integer::sum);
                case "group-renamed" -> auditRenamed++;
                default -> { }
            }
        }
        assertThat(auditAdded).as("applied member-added audit lines per user").isEqualTo(counts(tally.added()));
        assertThat(auditRemoved).as("applied member-removed audit lines per user").isEqualTo(counts(tally.removed()));
        assertThat(auditRenamed).as("applied group-renamed audit lines").isEqualTo(renames.get());
        System.out.printf("ConcurrencyIT: %d clients, %d adds + %d removes acknowledged, %d refused %s, %d renames, %d final members,"
                + " %d ms%n", CLIENTS, tally.total(tally.added()), tally.total(tally.removed()),
                tally.refused().values().stream().mapToInt(AtomicInteger::get).sum(), tally.refused(), renames.get(), inDirectory.size(), tookMs);
        assertThat(tally.total(tally.added()) + tally.total(tally.removed())).as("acknowledged member changes").isGreaterThan(CLIENTS * OPERATIONS_PER_CLIENT / 3);
        assertThat(renames.get()).isEqualTo(RENAMES);
    }

    /** Random adds and removes of overlapping users; a rename in between makes the DN go away: try the new one. */
    private static Void client(long seed, AtomicReference<String> name, Tally tally) throws Exception {
        Random random = new Random(seed);
        try (LDAPConnection ldap = directory.admin()) {
            for (int i = 0; i < OPERATIONS_PER_CLIENT; i++) {
                String user = "uid=c" + random.nextInt(USERS) + "," + PEOPLE;
                boolean add = random.nextBoolean();
                while (true) {
                    try {
                        ldap.modify("cn=" + name.get() + "," + GROUPS,
                                new Modification(add ? ModificationType.ADD : ModificationType.DELETE, "member", user));
                        (add ? tally.added() : tally.removed()).computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
                        break;
                    } catch (LDAPException e) {
                        if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                            continue; // renamed meanwhile
                        }
                        assertThat(e.getResultCode()).as(e.getMessage())
                                .isIn(ResultCode.ATTRIBUTE_OR_VALUE_EXISTS, ResultCode.NO_SUCH_ATTRIBUTE);
                        tally.refused().computeIfAbsent(e.getResultCode().intValue(), c -> new AtomicInteger()).incrementAndGet();
                        break;
                    }
                }
            }
        }
        return null;
    }

    /** Renames the group while the clients work, spread over their run. */
    private static Void renamer(AtomicReference<String> name, AtomicInteger renames, Tally tally) throws Exception {
        try (LDAPConnection ldap = directory.admin()) {
            for (int i = 1; i <= RENAMES; i++) {
                // wait for the clients to make progress, so renames interleave with their changes
                int target = i * CLIENTS * OPERATIONS_PER_CLIENT / (RENAMES + 2);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (progress(tally) < target && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                ldap.modifyDN(new ModifyDNRequest("cn=" + name.get() + "," + GROUPS, "cn=conc-" + i, true));
                name.set("conc-" + i);
                renames.incrementAndGet();
            }
        }
        return null;
    }

    private static int progress(Tally tally) {
        return tally.total(tally.added()) + tally.total(tally.removed()) + tally.refused().values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> tally) {
        Map<String, Integer> counts = new TreeMap<>();
        tally.forEach((user, n) -> counts.put(user.toLowerCase(Locale.ROOT), n.get()));
        return counts;
    }

    /**
     * Groups created at the same moment by several clients: each is in Seafile, with its member, when its own reply
     * arrives. Creating a group inserts its link row after looking it up {@code FOR UPDATE}; InnoDB's gap locks make two
     * such transactions deadlock when their keys share a gap, and the victim must run again at once instead of being
     * queued for a retry after its reply went.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void groupsCreatedAtOnceAreEachInSeafileWhenTheirReplyArrives() throws Exception {
        int clients = 8;
        int perClient = 6;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<String>>> work = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            work.add(pool.submit(() -> {
                List<String> missing = new ArrayList<>();
                try (LDAPConnection admin = directory.admin()) {
                    for (int g = 0; g < perClient; g++) {
                        String cn = "burst-" + client + "-" + g;
                        LdapFixtures.createGroup(admin, cn, "c" + client);
                        List<Map<String, Object>> rows = seafile.query(EmbeddedSeafileDb.CCNET, "SELECT u.user_name FROM `Group` g"
                                + " JOIN GroupUser u USING (group_id) WHERE g.group_name = ? AND u.user_name = ?", cn, "c" + client + "@example.org");
                        if (rows.isEmpty()) {
                            missing.add(cn);
                        }
                    }
                }
                return missing;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(100, TimeUnit.SECONDS)).isTrue();
        List<String> missing = new ArrayList<>();
        for (Future<List<String>> f : work) {
            missing.addAll(f.get());
        }
        assertThat(missing).as("groups not in Seafile (with their member) when their reply arrived").isEmpty();
        assertThat(Files.readAllLines(directory.auditLog())).as("audit lines of a queued or retried change")
                .noneMatch(line -> line.contains("burst-") && (line.contains("\"queued\"") || line.contains("\"retrying\"")));
    }

    private static long linkedGroup(String uuid) {
        List<Map<String, Object>> links = seafile.query(EmbeddedSeafileDb.CCNET, "SELECT group_id FROM grouprelay_group_link WHERE group_uuid = ?", uuid);
        assertThat(links).as("links of the group").hasSize(1);
        return ((Number) links.get(0).get("group_id")).longValue();
    }

    private static void assertInSync() throws Exception {
        try (SqlTarget target = org.grouprelay.targets.Targets.sqlTarget(directory.fullConfig().seafile().orElseThrow(), Clock.systemUTC())) {
            CheckService checker = GroupRelay.checkService(directory.fullConfig(), target, Clock.systemUTC());
            Plan plan = checker.run(new InProcessDirectorySource(directory.relay().directory().service()), CheckService.Options.checkOnly()).plan();
            assertThat(plan.inSync()).as("drift: %s", plan.findings()).isTrue();
        }
    }
}
