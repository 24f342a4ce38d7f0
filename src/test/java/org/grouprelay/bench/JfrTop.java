package org.grouprelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises {@code jdk.ExecutionSample} events of a JFR file by where the time went: the directory's
 * own work, grouprelay's capture (member sets), the relay on the LDAP thread, the relay's Seafile SQL
 * thread, the benchmark client. Also the hottest leaf frames, overall and inside capture.
 * Usable alone: {@code java -cp <test classpath> org.grouprelay.bench.JfrTop file.jfr [periodMs] [ops]}.
 */
public final class JfrTop {
    static final String APACHEDS = "ApacheDS: directory operation (chain, ACI, schema, JDBM partition)";
    static final String PROTOCOL = "ApacheDS: LDAP protocol / network (MINA, codec)";
    static final String CAPTURE = "grouprelay capture: member sets, diff, lookups";
    static final String RELAY_LDAP = "grouprelay relay on the LDAP thread: outbox, audit, hand-off";
    static final String RELAY_SQL = "grouprelay relay: Seafile SQL (apply thread)";
    static final String RELAY_WORKER = "grouprelay relay: outbox worker";
    static final String CLIENT = "benchmark client (UnboundID)";
    static final String OTHER = "other";

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        int period = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long ops = args.length > 2 ? Long.parseLong(args[2]) : 0;
        System.out.println(summarize(Path.of(args[0]), period, ops));
    }

    static String summarize(Path file, int periodMs, long ops) throws IOException {
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Map<String, Integer> buckets = new LinkedHashMap<>();
        for (String b : List.of(APACHEDS, PROTOCOL, CAPTURE, RELAY_LDAP, RELAY_SQL, RELAY_WORKER, CLIENT, OTHER)) {
            buckets.put(b, 0);
        }
        Map<String, Integer> leafServer = new TreeMap<>();
        Map<String, Integer> leafCapture = new TreeMap<>();
        Map<String, Integer> inclusiveGrouprelay = new TreeMap<>();
        Map<String, Integer> nativeLeaf = new TreeMap<>();
        Map<String, double[]> io = new LinkedHashMap<>(); // category -> {count, total ms}
        int total = 0;
        double gcPauseMs = 0;
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                gcPauseMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
                continue;
            }
            if (e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            String ioCategory = ioCategory(type, e, frames);
            if (ioCategory != null) {
                double[] sum = io.computeIfAbsent(ioCategory, k -> new double[2]);
                sum[0]++;
                sum[1] += e.getDuration().toNanos() / 1e6;
                continue;
            }
            if (type.equals("jdk.NativeMethodSample")) {
                if (frames.stream().anyMatch(f -> name(f).startsWith("org.grouprelay") || name(f).startsWith("jdbm."))) {
                    nativeLeaf.merge(frames.isEmpty() ? "?" : name(frames.get(0)) + " ← " + firstGrouprelayOrJdbm(frames), 1, Integer::sum);
                }
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            total++;
            RecordedThread thread = e.getThread("sampledThread");
            String threadName = thread == null || thread.getJavaName() == null ? "" : thread.getJavaName();
            String bucket = classify(threadName, frames);
            buckets.merge(bucket, 1, Integer::sum);
            String leaf = frames.isEmpty() ? "?" : name(frames.get(0));
            if (!bucket.equals(CLIENT) && !bucket.equals(OTHER)) {
                leafServer.merge(leaf, 1, Integer::sum);
            }
            if (bucket.equals(CAPTURE)) {
                leafCapture.merge(leaf, 1, Integer::sum);
            }
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("org.grouprelay") && !n.startsWith("org.grouprelay.bench") && seen.add(n)) {
                    inclusiveGrouprelay.merge(n, 1, Integer::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("\n### JFR: ").append(file.getFileName()).append("\n\n");
        out.append(String.format(Locale.ROOT, "%d execution samples (period %d ms; samples × period ≈ CPU time in Java)%s; "
                + "GC pauses %.0f ms.%n%n", total, periodMs, ops > 0 ? ", " + ops + " LDAP modifies in the window" : "", gcPauseMs));
        out.append("| where | samples | share |").append(ops > 0 ? " ≈ CPU ms per modify |" : "").append('\n');
        out.append("|---|---:|---:|").append(ops > 0 ? "---:|" : "").append('\n');
        for (Map.Entry<String, Integer> b : buckets.entrySet()) {
            if (b.getValue() == 0) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f %% |", b.getKey(), b.getValue(), 100.0 * b.getValue() / Math.max(1, total)));
            if (ops > 0) {
                out.append(String.format(Locale.ROOT, " %.3f |", (double) b.getValue() * periodMs / ops));
            }
            out.append('\n');
        }
        if (!io.isEmpty()) {
            out.append("\nWaits recorded as JFR I/O events (wall time, threshold 0; JDBM's own fsync uses FileDescriptor.sync, ")
                    .append("which JFR does not record):\n\n| I/O | events | total ms |").append(ops > 0 ? " ms per modify |" : "")
                    .append("\n|---|---:|---:|").append(ops > 0 ? "---:|" : "").append('\n');
            io.forEach((k, v) -> {
                out.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f |", k, v[0], v[1]));
                if (ops > 0) {
                    out.append(String.format(Locale.ROOT, " %.3f |", v[1] / ops));
                }
                out.append('\n');
            });
        }
        out.append(top("Hottest leaf frames on server threads", leafServer, total, 12));
        out.append(top("Hottest leaf frames inside grouprelay capture", leafCapture, total, 10));
        out.append(top("grouprelay methods on the stack (inclusive)", inclusiveGrouprelay, total, 12));
        if (!nativeLeaf.isEmpty()) {
            out.append(top("Native samples below grouprelay / JDBM (I/O waits; 1 thread sampled per period)", nativeLeaf,
                    nativeLeaf.values().stream().mapToInt(Integer::intValue).sum(), 6));
        }
        return out.toString();
    }

    /** I/O events worth attributing, or null. */
    private static String ioCategory(String type, RecordedEvent e, List<RecordedFrame> frames) {
        if (!List.of("jdk.FileForce", "jdk.SocketRead", "jdk.SocketWrite", "jdk.FileWrite").contains(type)) {
            return null;
        }
        boolean grouprelay = frames.stream().anyMatch(f -> name(f).startsWith("org.grouprelay") && !name(f).startsWith("org.grouprelay.bench"));
        boolean jdbm = frames.stream().anyMatch(f -> name(f).startsWith("jdbm."));
        RecordedThread thread = e.getThread("eventThread");
        String threadName = thread == null || thread.getJavaName() == null ? "" : thread.getJavaName();
        return switch (type) {
            case "jdk.FileForce" -> frames.stream().anyMatch(f -> name(f).startsWith("org.grouprelay.relay.Journal"))
                    ? "relay outbox fsync (FileChannel.force)" : "other FileChannel.force";
            case "jdk.SocketRead" -> threadName.startsWith("grouprelay-apply") ? "relay: waiting for MariaDB (JDBC socket reads, apply thread)"
                    : grouprelay ? "relay: JDBC socket reads, other grouprelay threads" : null;
            case "jdk.SocketWrite" -> threadName.startsWith("grouprelay-apply") ? "relay: JDBC socket writes (apply thread)" : null;
            case "jdk.FileWrite" -> jdbm ? "JDBM file writes" : grouprelay ? "relay file writes (outbox, audit)" : null;
            default -> null;
        };
    }

    /** Which part of the system a sample belongs to; see the constants. */
    static String classify(String thread, List<RecordedFrame> frames) {
        if (thread.startsWith("grouprelay-apply")) {
            return RELAY_SQL;
        }
        if (thread.startsWith("grouprelay-outbox")) {
            return RELAY_WORKER;
        }
        if (thread.startsWith("bench-client") || thread.equals("main")
                || frames.stream().anyMatch(f -> name(f).startsWith("com.unboundid"))) {
            return CLIENT;
        }
        // the grouprelay frame nearest the leaf decides: capture's call of next() hands over to ApacheDS
        for (RecordedFrame f : frames) {
            String n = name(f);
            if (!n.startsWith("org.grouprelay")) {
                continue;
            }
            if (n.startsWith("org.grouprelay.capture.CaptureInterceptor.lambda$")) {
                return APACHEDS;
            }
            if (n.startsWith("org.grouprelay.capture.")) {
                return CAPTURE;
            }
            if (n.startsWith("org.grouprelay.relay.") || n.startsWith("org.grouprelay.change.")) {
                return RELAY_LDAP;
            }
            return APACHEDS;
        }
        if (frames.stream().anyMatch(f -> name(f).startsWith("org.apache.directory.server.core")
                || name(f).startsWith("jdbm.") || name(f).contains("OperationManager"))) {
            return APACHEDS;
        }
        if (frames.stream().anyMatch(f -> name(f).startsWith("org.apache.mina") || name(f).startsWith("org.apache.directory"))) {
            return PROTOCOL;
        }
        return OTHER;
    }

    private static String firstGrouprelayOrJdbm(List<RecordedFrame> frames) {
        return frames.stream().map(JfrTop::name).filter(n -> n.startsWith("org.grouprelay") || n.startsWith("jdbm.")).findFirst()
                .orElse("?");
    }

    static String name(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }

    private static String top(String title, Map<String, Integer> counts, int total, int n) {
        if (counts.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n").append(title).append(":\n\n| frame | samples | share |\n|---|---:|---:|\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.append(String.format(Locale.ROOT, "| `%s` | %d | %.1f %% |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / Math.max(1, total))));
        return out.toString();
    }
}
