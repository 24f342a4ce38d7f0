package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.secondsSince;
import static org.grouprelay.bench.BenchRig.clientGroup;
import static org.grouprelay.bench.BenchRig.userDn;
import static org.grouprelay.bench.GroupRelayBench.MAX_OTHER;
import static org.grouprelay.bench.GroupRelayBench.MODES;
import static org.grouprelay.bench.GroupRelayBench.ROUNDS;
import static org.grouprelay.bench.GroupRelayBench.SECONDS;
import static org.grouprelay.bench.GroupRelayBench.TOGGLES;
import static org.grouprelay.bench.GroupRelayBench.WARMUP_S;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_DN;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_PASSWORD;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import org.grouprelay.bench.GroupRelayBench.Mode;
import org.grouprelay.bench.GroupRelayBench.Point;

/**
 * Scenario 1: member add/remove throughput and add latency at a number of concurrent clients, each changing
 * its own group, every mode measured in alternating rounds.
 */
final class ThroughputScenario {
    /** One measured stretch of one throughput point. */
    /** One measured stretch of one throughput point. */
    record Segment(double seconds, long ops, List<Latencies> adds, long errors, String firstError, int outboxAfter, CpuMeter.Usage cpu,
            Map<String, Long> sql) {
    }

    private final BenchRig rig;

    ThroughputScenario(BenchRig rig) {
        this.rig = rig;
    }

    /**
     * Both modes at {@code clients} concurrent clients, in {@link #ROUNDS} alternating rounds (plain, relay,
     * plain, relay ...) so that drift on the machine hits both alike.
     */
    List<Point> run(int clients) throws Exception {
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
                    if (!(s.cpu().otherPercent() > MAX_OTHER) || attempt == 2 || !rig.retryBudgetLeft()) {
                        break;
                    }
                    rig.spendRetryBudget(secondsSince(t));
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

    /** A-B-B-A: the modes in order in even rounds, reversed in odd ones. */
    private static List<Mode> order(int round) {
        List<Mode> order = new ArrayList<>(MODES);
        if (round % 2 == 1) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private Segment segment(Mode mode, int clients, double warmupSeconds, double seconds, boolean record) throws Exception {
        rig.use(mode);
        Bench.flushDirtyPages();
        SingleServerSet server = new SingleServerSet("127.0.0.1", rig.dir().ldapPort());
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
                int toggleBase = rig.clientToggleBase + w * TOGGLES;
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
            Recording jfr = record ? rig.jfr().start("throughput-" + mode.name().toLowerCase(Locale.ROOT) + "-c" + clients) : null;
            Map<String, Long> sqlBefore = rig.sqlCounters();
            CpuMeter.Snapshot before = rig.cpu().snapshot();
            phase.measureStart = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            phase.measureEnd = System.nanoTime();
            CpuMeter.Snapshot after = rig.cpu().snapshot();
            Map<String, Long> sqlAfter = rig.sqlCounters();
            Map<String, Long> sql = new java.util.LinkedHashMap<>();
            sqlAfter.forEach((k, v) -> sql.put(k, v - sqlBefore.getOrDefault(k, 0L) - (k.equals("Questions") ? 1 : 0)));
            phase.stopped = true;
            for (Thread t : threads) {
                t.join();
            }
            rig.jfr().stop(jfr, ops.get());
            int outbox = rig.awaitDrained(mode);
            return new Segment((phase.measureEnd - phase.measureStart) / 1e9, ops.get(), adds, errors.get(),
                    firstError.getOrDefault("e", ""), outbox, CpuMeter.between(before, after), sql);
        }
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
}
