package org.grouprelay.bench;

import static org.grouprelay.bench.Bench.log;
import static org.grouprelay.bench.Bench.num;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/**
 * Time from starting {@code grouprelay serve} (the jar, its own JVM, the launcher's heap settings) to
 * the first successful bind, with an empty data directory (first start: bootstrap LDIF) and with the
 * data set's partition, directory only and with the relay. Before each start the kernel's page cache
 * is dropped when the benchmark may (root on Linux), so the partition is read from disk.
 */
final class ColdStart {
    static final int RUNS = Integer.getInteger("bench.coldRuns", 3);
    /** The launcher's default heap ({@code bin/grouprelay}). */
    static final String HEAP = Bench.prop("bench.coldHeap", "512m");

    private final ScaleData data;
    private final TestSeafile seafile;
    private boolean cachesDropped = true;

    ColdStart(ScaleData data, TestSeafile seafile) {
        this.data = data;
        this.seafile = seafile;
    }

    String run() throws Exception {
        StringBuilder t = new StringBuilder("\n## Cold start to first bind\n\n");
        t.append("| data directory | mode | runs (s) | median s | live heap after start MB (runs) |\n|---|---|---|---:|---|\n");
        double worst = 0;
        for (boolean full : new boolean[] {false, true}) {
            for (boolean relay : new boolean[] {false, true}) {
                double[] s = new double[RUNS];
                List<String> each = new ArrayList<>();
                List<String> heaps = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    try {
                        Started started = once(full, relay);
                        s[i] = started.seconds();
                        each.add(num(s[i]));
                        heaps.add(String.valueOf(started.liveHeapMb()));
                    } catch (IllegalStateException e) {
                        s[i] = Double.NaN;
                        heaps.add("–");
                        each.add("**failed: " + e.getMessage().lines().filter(l -> l.contains("Error") || l.contains("error"))
                                .reduce((a, b) -> b).orElse(e.getMessage().lines().findFirst().orElse("")).strip() + "**");
                    }
                    log("cold start (%s, %s) run %d: %s", full ? "data set" : "empty", relay ? "relay" : "plain", i + 1,
                            each.get(i));
                }
                double[] sorted = s.clone();
                Arrays.sort(sorted);
                worst = Math.max(worst, sorted[RUNS / 2]);
                t.append(ScaleBench.row(full ? String.format(Locale.ROOT, "%,d entries", data.users() + data.groups()) : "empty (first "
                        + "start, bootstrap LDIF)", relay ? "with relay" : "plain ApacheDS", String.join(", ", each), sorted[RUNS / 2],
                        String.join(", ", heaps)));
            }
        }
        t.append(String.format(Locale.ROOT, "%nJVM options as in `bin/grouprelay` (-Xms64m), max heap %s. Live heap: used after a full "
                + "GC (`jcmd GC.run`, then `GC.heap_info`) right after the first bind. %s Worst median: %s s.%n",
                HEAP,
                cachesDropped ? "The page cache was dropped before every start." : "The page cache could NOT be dropped "
                        + "(not root): the partition files were probably still cached.", num(worst)));
        return t.toString();
    }

    /** Seconds to the first successful bind, and the heap in use after a full GC just then. */
    record Started(double seconds, long liveHeapMb) {
    }

    private Started once(boolean full, boolean relay) throws Exception {
        try (TestDirectory dir = TestDirectory.create("")) {
            if (full) {
                data.copyInto(dir);
            }
            ConfigYaml yaml = relay ? ConfigYaml.of(dir).seafileSql(seafile) : ConfigYaml.of(dir);
            Path config = yaml.writeTo(dir.home().resolve("grouprelay.yaml"));
            dropCaches();
            Path jar = Path.of(System.getProperty("grouprelay.jar", "target/grouprelay.jar")).toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms64m",
                    "-Xmx" + HEAP, "-jar", jar.toString(), "serve", "--config", config.toString()).directory(dir.home().toFile())
                    .redirectErrorStream(true).redirectOutput(dir.home().resolve("serve.out").toFile());
            pb.environment().put("GROUPRELAY_ADMIN_PASSWORD", TestDirectory.ADMIN_PASSWORD);
            pb.environment().put("GROUPRELAY_KEYCLOAK_PASSWORD", TestDirectory.KEYCLOAK_PASSWORD);
            long t0 = System.nanoTime();
            Process p = pb.start();
            try {
                while (true) {
                    try (LDAPConnection c = dir.admin()) {
                        double seconds = Bench.secondsSince(t0);
                        return new Started(seconds, liveHeapMb(p.pid()));
                    } catch (LDAPException e) {
                        if (!p.isAlive() || Bench.secondsSince(t0) > 120) {
                            throw new IllegalStateException("serve did not answer a bind within 120 s" + (p.isAlive() ? ""
                                    : " (it exited with " + p.exitValue() + ")") + "\n" + Files.readString(dir.home().resolve("serve.out")));
                        }
                        Thread.sleep(10);
                    }
                }
            } finally {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** Heap in use after a full GC of process {@code pid}, from {@code jcmd}. */
    static long liveHeapMb(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        jcmd(jcmd, pid, "GC.run");
        String info = jcmd(jcmd, pid, "GC.heap_info");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("heap\\s+total \\d+K, used (\\d+)K").matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no heap figure in jcmd's answer: " + info);
        }
        return Long.parseLong(used.group(1)) / 1024;
    }

    private static String jcmd(Path jcmd, long pid, String command) throws Exception {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    private void dropCaches() {
        try {
            Bench.flushDirtyPages();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n");
        } catch (Exception e) {
            cachesDropped = false;
        }
    }
}
