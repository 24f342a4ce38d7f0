package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.secondsSince;
import static org.grouprelay.bench.BenchRig.sizeGroup;
import static org.grouprelay.bench.BenchRig.userDn;
import static org.grouprelay.bench.GroupRelayBench.MAX_OTHER;
import static org.grouprelay.bench.GroupRelayBench.MAX_SIZE_PAIRS;
import static org.grouprelay.bench.GroupRelayBench.MIN_SIZE_PAIRS;
import static org.grouprelay.bench.GroupRelayBench.ROUNDS;
import static org.grouprelay.bench.GroupRelayBench.SIZES;
import static org.grouprelay.bench.GroupRelayBench.SIZE_SECONDS;
import static org.grouprelay.bench.GroupRelayBench.TOGGLES;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import org.grouprelay.bench.GroupRelayBench.Mode;
import org.grouprelay.bench.GroupRelayBench.SizePoint;

/** Scenario 2: the cost of adding one member to (and removing it from) a group of N members, one client, plain against relay. */
final class GroupSizeScenario {
    private final BenchRig rig;

    GroupSizeScenario(BenchRig rig) {
        this.rig = rig;
    }

    /**
     * One client adds and removes one member of each N-member group, mode by mode (A-B-B-A over
     * {@link #ROUNDS} rounds, restarting in between), about SIZE_SECONDS / ROUNDS per size, mode and round.
     */
    List<SizePoint> run() throws Exception {
        Map<String, Latencies> adds = new HashMap<>();
        Map<String, Latencies> removes = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        Map<String, CpuMeter.Usage> usage = new HashMap<>();
        Map<String, Integer> again = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Mode mode : sizeModes(round)) {
                rig.use(mode);
                Bench.flushDirtyPages();
                try (LDAPConnection c = BenchRig.keycloak(rig.dir())) {
                    for (int size : SIZES) {
                        String key = mode + "/" + size;
                        for (int attempt = 0; ; attempt++) {
                            long t = System.nanoTime();
                            Latencies a = new Latencies();
                            Latencies r = new Latencies();
                            for (int k = 0; k < 3; k++) { // warmup: JIT for this entry size, entry cache
                                pair(c, sizeGroup(size), userDn(rig.sizeToggleBase + k), new Latencies(), new Latencies());
                            }
                            rig.awaitDrained(mode);
                            Recording jfr = round == 0 ? rig.jfr().start("groupsize-" + mode.name().toLowerCase(Locale.ROOT) + "-n" + size) : null;
                            CpuMeter.Snapshot before = rig.cpu().snapshot();
                            long start = System.nanoTime();
                            long budget = (long) (SIZE_SECONDS * 1e9 / ROUNDS);
                            int pairs = 0;
                            long failed = 0;
                            while (pairs < MAX_SIZE_PAIRS && (pairs < MIN_SIZE_PAIRS || System.nanoTime() - start < budget)) {
                                if (!pair(c, sizeGroup(size), userDn(rig.sizeToggleBase + pairs % TOGGLES), a, r)) {
                                    failed++;
                                }
                                pairs++;
                            }
                            CpuMeter.Usage u = CpuMeter.between(before, rig.cpu().snapshot());
                            rig.jfr().stop(jfr, 2L * pairs);
                            rig.awaitDrained(mode);
                            if (u.otherPercent() > MAX_OTHER && attempt < 2 && rig.retryBudgetLeft()) {
                                rig.spendRetryBudget(secondsSince(t));
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

    /** The group-size scenario compares plain ApacheDS with relay mode only. */
    private static List<Mode> sizeModes(int round) {
        return round % 2 == 0 ? List.of(Mode.PLAIN, Mode.RELAY) : List.of(Mode.RELAY, Mode.PLAIN);
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
}
