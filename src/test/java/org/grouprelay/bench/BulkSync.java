package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.num;
import static org.grouprelay.bench.Bench.secondsSince;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.relay.Relay;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/**
 * Keycloak's "Sync Keycloak groups to LDAP" at scale: each of {@code bench.bulk.groups} groups is
 * added as Keycloak adds it (the placeholder member only) and then filled with one REPLACE of its full
 * member list ({@code bench.bulk.members} users), all as the Keycloak service account, on the data
 * set's 100,000 users. Once with plain ApacheDS and once with the relay, each on a fresh copy of the
 * data set; with the relay the clock stops when every membership is in Seafile.
 */
final class BulkSync {
    static final int GROUPS = Integer.getInteger("bench.bulk.groups", 10_000);
    static final int MEMBERS = Integer.getInteger("bench.bulk.members", 20);
    static final int CLIENTS = Integer.getInteger("bench.bulk.clients", 1);

    private final ScaleData data;
    private final TestSeafile seafile;

    BulkSync(ScaleData data, TestSeafile seafile) {
        this.data = data;
        this.seafile = seafile;
    }

    record Result(double ldapSeconds, double seafileSeconds, long seafileMemberships, long seafileGroups, long errors,
            String firstError, CpuMeter.Usage cpu) {
        double membershipsPerSecond() {
            return (double) GROUPS * MEMBERS / seafileSeconds;
        }
    }

    String run() throws Exception {
        Result plain = measure(false);
        Result relay = measure(true);
        long expected = (long) GROUPS * MEMBERS;
        StringBuilder t = new StringBuilder("\n## Bulk sync as Keycloak does it\n\n");
        t.append(String.format(Locale.ROOT, "%,d groups, each added with the placeholder member and then filled by one REPLACE "
                + "of its %d members (plus the placeholder, as Keycloak sends it): %,d memberships, %,d LDAP operations from %d client(s) bound as the Keycloak service account, "
                + "on a directory holding the %,d-user data set.%n%n", GROUPS, MEMBERS, expected, 2 * GROUPS, CLIENTS, data.users()));
        t.append("| mode | LDAP done s | all memberships in Seafile s | memberships/s | LDAP ops/s | errors | CPU bench JVM / MariaDB / "
                + "other processes | CPU ms per LDAP op (JVM + MariaDB) |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        t.append(ScaleBench.row("plain ApacheDS", plain.ldapSeconds, "–", plain.membershipsPerSecond(),
                2 * GROUPS / plain.ldapSeconds, plain.errors, cpu(plain.cpu), cpuPerOp(plain)));
        t.append(ScaleBench.row("with relay", relay.ldapSeconds, relay.seafileSeconds, relay.membershipsPerSecond(),
                2 * GROUPS / relay.ldapSeconds, relay.errors, cpu(relay.cpu), cpuPerOp(relay)));
        t.append(ScaleBench.row("**relay ÷ plain**", "", "", "**" + Bench.ratio(relay.membershipsPerSecond(),
                plain.membershipsPerSecond()) + "**", "", "", "", Bench.ratio(cpuPerOp(relay), cpuPerOp(plain))));
        boolean ok = relay.seafileMemberships == expected && relay.seafileGroups == GROUPS && relay.errors == 0 && plain.errors == 0;
        t.append(ok ? String.format(Locale.ROOT, "%nSeafile then held all %,d groups and exactly %,d memberships (creator rows "
                + "not counted).%n", GROUPS, expected)
                : String.format(Locale.ROOT, "%n**Seafile held %,d groups and %,d memberships, expected %,d and %,d; errors: %s**%n",
                        relay.seafileGroups, relay.seafileMemberships, GROUPS, expected, relay.firstError != null ? relay.firstError
                                : plain.firstError));
        return t.toString();
    }

    private Result measure(boolean relay) throws Exception {
        ScaleBench.clearGroups(seafile);
        try (TestDirectory dir = ScaleBench.directory(data, seafile, relay)) {
            log("bulk sync (%s): %,d groups x %d members", relay ? "relay" : "plain", GROUPS, MEMBERS);
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            CpuMeter meter = new CpuMeter(seafile.pid());
            CpuMeter.Snapshot cpu0 = meter.snapshot();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    int first = client;
                    done.add(pool.submit(() -> {
                        try (LDAPConnection c = dir.keycloak()) {
                            for (int b = first; b < GROUPS; b += CLIENTS) {
                                sync(c, b, errors);
                                if (first == 0 && b % 2000 == 0 && b > 0) {
                                    log("  %,d groups, %.0f s", b, secondsSince(t0));
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            double ldap = secondsSince(t0);
            double all = ldap;
            if (relay) {
                Relay r = dir.relay().relay().orElseThrow();
                if (!r.awaitDrained(Duration.ofMinutes(10))) {
                    throw new IllegalStateException("relay outbox did not drain: " + r.outboxDepth());
                }
                all = secondsSince(t0);
            }
            long memberships = ScaleBench.count(seafile, "SELECT COUNT(*) FROM GroupUser WHERE is_staff = 0");
            long groups = ScaleBench.count(seafile, "SELECT COUNT(*) FROM `Group` WHERE group_name LIKE 'bulk-%'");
            log("bulk sync (%s): LDAP %.1f s, Seafile %.1f s, %s memberships/s, %d errors", relay ? "relay" : "plain", ldap, all,
                    num((double) GROUPS * MEMBERS / all), errors.size());
            return new Result(ldap, all, memberships, groups, errors.size(), errors.isEmpty() ? null : errors.get(0),
                    CpuMeter.between(cpu0, meter.snapshot()));
        }
    }

    static String cpu(CpuMeter.Usage u) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f %%", u.jvmPercent(), u.mariadbPercent(), u.otherPercent());
    }

    /** CPU time of the bench JVM and MariaDB per LDAP operation: less sensitive to other processes than wall time. */
    static double cpuPerOp(Result r) {
        double cores = Runtime.getRuntime().availableProcessors();
        return (r.cpu.jvmPercent() + r.cpu.mariadbPercent()) / 100 * cores * r.cpu.seconds() * 1000 / (2.0 * GROUPS);
    }

    private void sync(LDAPConnection c, int b, List<String> errors) {
        String cn = String.format(Locale.ROOT, "bulk-%05d", b);
        String dn = "cn=" + cn + "," + TestDirectory.GROUPS;
        String[] members = new String[MEMBERS + 1];
        members[MEMBERS] = MembershipRules.KEYCLOAK_PLACEHOLDER; // Keycloak's REPLACE keeps its placeholder
        for (int j = 0; j < MEMBERS; j++) {
            members[j] = ScaleData.userDn((int) (((long) b * MEMBERS + (long) j * 7919) % data.users()));
        }
        try {
            c.add(new Entry(dn, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", cn),
                    new Attribute("member", MembershipRules.KEYCLOAK_PLACEHOLDER)));
            c.modify(dn, new Modification(ModificationType.REPLACE, "member", members));
        } catch (Exception e) {
            errors.add(cn + ": " + e.getMessage());
        }
    }
}
