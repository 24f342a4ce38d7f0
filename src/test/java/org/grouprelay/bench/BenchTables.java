package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.num;
import static org.grouprelay.bench.Bench.ratio;
import static org.grouprelay.bench.GroupRelayBench.CLIENT_GROUP_MEMBERS;
import static org.grouprelay.bench.GroupRelayBench.MAX_OTHER;
import static org.grouprelay.bench.GroupRelayBench.MIN_SIZE_PAIRS;
import static org.grouprelay.bench.GroupRelayBench.MODES;
import static org.grouprelay.bench.GroupRelayBench.REAL_MEMBERS;
import static org.grouprelay.bench.GroupRelayBench.ROUNDS;
import static org.grouprelay.bench.GroupRelayBench.SECONDS;
import static org.grouprelay.bench.GroupRelayBench.SIZE_SECONDS;
import static org.grouprelay.bench.GroupRelayBench.TOGGLES;
import static org.grouprelay.bench.GroupRelayBench.WARMUP_S;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.grouprelay.bench.GroupRelayBench.Mode;
import org.grouprelay.bench.GroupRelayBench.Point;
import org.grouprelay.bench.GroupRelayBench.SizePoint;

/** The benchmark report's two tables, in Markdown: throughput by clients and mode, and the cost of a member add by group size. */
final class BenchTables {
    private BenchTables() {
    }

    static String throughputTable(List<Point> points) {
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
                        x.roundOpsPerSecond().stream().map(Bench::num).collect(Collectors.joining(", ")),
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
                    .collect(Collectors.joining(", "))).append(" (MariaDB global status counters).\n");
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

    static String sizeTable(List<SizePoint> points) {
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
}
