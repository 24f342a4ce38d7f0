package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.secondsSince;
import static org.grouprelay.bench.GroupRelayBench.CHUNK;
import static org.grouprelay.bench.GroupRelayBench.CLIENTS;
import static org.grouprelay.bench.GroupRelayBench.CLIENT_GROUP_MEMBERS;
import static org.grouprelay.bench.GroupRelayBench.JFR_DIR;
import static org.grouprelay.bench.GroupRelayBench.PLACEHOLDER;
import static org.grouprelay.bench.GroupRelayBench.REAL_MEMBERS;
import static org.grouprelay.bench.GroupRelayBench.RETRY_BUDGET_S;
import static org.grouprelay.bench.GroupRelayBench.SIZES;
import static org.grouprelay.bench.GroupRelayBench.SQL_COUNTERS;
import static org.grouprelay.bench.GroupRelayBench.TOGGLES;
import static org.grouprelay.bench.GroupRelayBench.USERS_RULES;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_DN;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_PASSWORD;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grouprelay.bench.GroupRelayBench.Mode;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.relay.Relay;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/**
 * What {@link GroupRelayBench} measures: one directory in this JVM and its Seafile database, set up once with
 * the users and groups of every scenario, then restarted in one mode or another on the same data directory.
 * Also the machine's CPU meter, the JFR recorder and the time left for measuring disturbed points again.
 */
final class BenchRig implements AutoCloseable {
    final int maxClients = CLIENTS.stream().mapToInt(Integer::intValue).max().orElse(0);
    final int maxSize = SIZES.stream().mapToInt(Integer::intValue).max().orElse(0);
    /**
     * Real users u000000..: the client groups' base members (and, with bench.realMembers, the group-size
     * groups' members), then TOGGLES users for the group-size client, then TOGGLES per throughput client.
     */
    final int sizeToggleBase = REAL_MEMBERS ? Math.max(maxSize, CLIENT_GROUP_MEMBERS) : CLIENT_GROUP_MEMBERS;
    final int clientToggleBase = sizeToggleBase + TOGGLES;
    final int users = clientToggleBase + maxClients * TOGGLES;
    private final List<Double> restartSeconds = new ArrayList<>();
    private final JfrRecorder jfr = new JfrRecorder(JFR_DIR);

    private TestSeafile seafile;
    private TestDirectory dir;
    private Mode running;
    private CpuMeter cpu;
    private double retrySecondsLeft = RETRY_BUDGET_S;

    TestSeafile seafile() {
        return seafile;
    }

    TestDirectory dir() {
        return dir;
    }

    CpuMeter cpu() {
        return cpu;
    }

    JfrRecorder jfr() {
        return jfr;
    }

    /** How long each restart between modes took, in seconds. */
    List<Double> restartSeconds() {
        return restartSeconds;
    }

    /** Whether a measurement that other processes disturbed may still be taken again. */
    boolean retryBudgetLeft() {
        return retrySecondsLeft > 0;
    }

    void spendRetryBudget(double seconds) {
        retrySecondsLeft -= seconds;
    }

    void setUp() throws Exception {
        long t0 = System.nanoTime();
        seafile = TestSeafile.start();
        cpu = new CpuMeter(seafile.pid());
        log("MariaDB up in %.1f s", secondsSince(t0));
        StringBuilder ldif = new StringBuilder();
        for (int i = 0; i < users; i++) {
            ldif.append(person(i));
        }
        dir = TestDirectory.create(ldif.toString());
        seedSeafileAccounts();
        long t1 = System.nanoTime();
        use(Mode.RELAY);
        log("first start with %d users in %.1f s", users, secondsSince(t1));
        restartSeconds.clear();
        // groups, created the way Keycloak does (placeholder first) and relayed, so Seafile has them. As the
        // admin: before d166c15 a group add by the Keycloak account was refused with the relay on (the
        // report's keycloakGroupAdd() probe says how the current code behaves).
        try (LDAPConnection c = admin(dir)) {
            long t = System.nanoTime();
            for (int g = 0; g < maxClients; g++) {
                createGroup(c, clientGroup(g), CLIENT_GROUP_MEMBERS, BenchRig::userDn);
            }
            for (int size : SIZES) {
                long ts = System.nanoTime();
                createGroup(c, sizeGroup(size), size, BenchRig::memberDn);
                if (size >= 10_000) {
                    log("group of %d members built in %.1f s (chunks of %d)", size, secondsSince(ts), CHUNK);
                }
            }
            awaitDrained(Mode.RELAY);
            log("groups created in %.1f s", secondsSince(t));
        }
        log("setup done in %.1f s", secondsSince(t0));
    }

    /** (Re)starts the directory in {@code mode} unless it already runs so; changes made in plain mode must be net-zero. */
    TestDirectory use(Mode mode) throws Exception {
        if (running == mode) {
            return dir;
        }
        long t = System.nanoTime();
        if (running != null) {
            awaitDrained(running);
            dir.stop();
        }
        if (mode == Mode.PLAIN) {
            dir.startDirectoryOnly();
        } else {
            dir.relayingTo(seafile, (mode == Mode.STRICT ? Relaying.strictMode() : Relaying.relayMode()).users(USERS_RULES)).start();
        }
        running = mode;
        restartSeconds.add(secondsSince(t));
        return dir;
    }

    static String person(int i) {
        String uid = uid(i);
        return "\ndn: uid=" + uid + "," + PEOPLE + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\nsn: " + uid + "\ncn: " + uid
                + "\nmail: " + uid + "@example.org\n";
    }

    static String uid(int i) {
        return String.format(Locale.ROOT, "u%06d", i);
    }

    static String userDn(int i) {
        return "uid=" + uid(i) + "," + PEOPLE;
    }

    /** The i-th member of a group-size group: a real user only with bench.realMembers. */
    static String memberDn(int i) {
        return REAL_MEMBERS ? userDn(i) : String.format(Locale.ROOT, "uid=m%06d,%s", i, PEOPLE);
    }

    static String clientGroup(int g) {
        return String.format(Locale.ROOT, "cn=bench-c%02d,%s", g, GROUPS);
    }

    static String sizeGroup(int size) {
        return "cn=size-" + size + "," + GROUPS;
    }

    /** Every user has a Seafile account whose id is the lower-cased mail (found by the 'email' rule). */
    void seedSeafileAccounts() {
        seafile.seedAccountsInBulk(users, i -> uid(i) + "@example.org");
        seafile.db().seedUser(TestDirectory.GROUP_CREATOR.toLowerCase(Locale.ROOT), true);
    }

    /** Adds the group with the placeholder and the first chunk, then the rest in chunks of {@link #CHUNK}. */
    static void createGroup(LDAPConnection c, String dn, int members, java.util.function.IntFunction<String> member)
            throws LDAPException {
        List<String> first = new ArrayList<>(List.of(PLACEHOLDER));
        int i = 0;
        for (; i < Math.min(members, CHUNK); i++) {
            first.add(member.apply(i));
        }
        String cn = dn.substring(3, dn.indexOf(','));
        c.add(new Entry(dn, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", cn), new Attribute("member", first)));
        while (i < members) {
            List<String> chunk = new ArrayList<>();
            for (int end = Math.min(members, i + CHUNK); i < end; i++) {
                chunk.add(member.apply(i));
            }
            c.modify(dn, new Modification(ModificationType.ADD, "member", chunk.toArray(String[]::new)));
        }
    }

    static LDAPConnection admin(TestDirectory dir) throws LDAPException {
        LDAPConnection c = dir.admin();
        c.getConnectionOptions().setResponseTimeoutMillis(600_000);
        return c;
    }

    static LDAPConnection keycloak(TestDirectory dir) throws LDAPException {
        LDAPConnection c = new LDAPConnection("127.0.0.1", dir.ldapPort(), KEYCLOAK_DN, KEYCLOAK_PASSWORD);
        c.getConnectionOptions().setResponseTimeoutMillis(600_000);
        return c;
    }

    /** Relay mode answers after at most the deadline; whatever is still queued must be applied before the next point. */
    int awaitDrained(Mode mode) throws InterruptedException {
        if (mode == Mode.PLAIN) {
            return 0;
        }
        Relay r = dir.relay().relay().orElseThrow();
        int depth = r.outboxDepth();
        if (!r.awaitDrained(Duration.ofMinutes(5))) {
            throw new IllegalStateException("relay outbox did not drain: " + r.outboxDepth());
        }
        return depth;
    }

    /** MariaDB's global statement counters (the SHOW itself counts as one question). */
    Map<String, Long> sqlCounters() {
        Map<String, Long> counters = new java.util.LinkedHashMap<>();
        for (Map<String, Object> row : seafile.query(EmbeddedSeafileDb.CCNET, "SHOW GLOBAL STATUS WHERE Variable_name IN ("
                + String.join(",", java.util.Collections.nCopies(SQL_COUNTERS.size(), "?")) + ")", SQL_COUNTERS.toArray())) {
            Object name = row.values().toArray()[0];
            Object value = row.values().toArray()[1];
            counters.put(String.valueOf(name), Long.parseLong(String.valueOf(value)));
        }
        return counters;
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {dir, seafile}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }
}
