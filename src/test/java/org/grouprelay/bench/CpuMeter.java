package org.grouprelay.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who used the machine's CPUs during a measurement: this JVM, the MariaDB server it started, and
 * everything else (other processes on a shared machine disturb the figures); and how fast the disks
 * completed writes and cache flushes (fsync) meanwhile, which a virtual machine's host may slow down
 * unseen. Linux only; elsewhere the figures are NaN.
 */
final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final long mariadbPid;

    CpuMeter(long mariadbPid) {
        this.mariadbPid = mariadbPid;
    }

    record Snapshot(long wallNanos, double machineBusySeconds, double jvmSeconds, double mariadbSeconds, long[] disk) {
    }

    /** CPU use between two snapshots, as a share of all cores (100 % = every core busy). */
    record Usage(double seconds, double jvmPercent, double mariadbPercent, double otherPercent, long[] disk) {
        static final Usage NONE = new Usage(0, Double.NaN, Double.NaN, Double.NaN, new long[4]);

        /** Time-weighted combination of two measurements. */
        Usage plus(Usage o) {
            if (seconds == 0) {
                return o;
            }
            double s = seconds + o.seconds;
            long[] d = new long[4];
            for (int i = 0; i < 4; i++) {
                d[i] = disk[i] + o.disk[i];
            }
            return new Usage(s, (jvmPercent * seconds + o.jvmPercent * o.seconds) / s,
                    (mariadbPercent * seconds + o.mariadbPercent * o.seconds) / s, (otherPercent * seconds + o.otherPercent * o.seconds) / s,
                    d);
        }

        /** Average time the disks took per completed cache flush (what an fsync waits for), in ms. */
        double flushMs() {
            return disk[2] == 0 ? Double.NaN : (double) disk[3] / disk[2];
        }

        /** Average time per completed write request, in ms. */
        double writeMs() {
            return disk[0] == 0 ? Double.NaN : (double) disk[1] / disk[0];
        }
    }

    Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), machineBusy(), jvmCpu(), processCpu(mariadbPid), disks());
    }

    static Usage between(Snapshot a, Snapshot b) {
        double wall = (b.wallNanos - a.wallNanos) / 1e9;
        double capacity = wall * Runtime.getRuntime().availableProcessors();
        double busy = b.machineBusySeconds - a.machineBusySeconds;
        double jvm = b.jvmSeconds - a.jvmSeconds;
        double db = b.mariadbSeconds - a.mariadbSeconds;
        long[] d = new long[4];
        for (int i = 0; i < 4; i++) {
            d[i] = b.disk[i] - a.disk[i];
        }
        return new Usage(wall, 100 * jvm / capacity, 100 * db / capacity, Math.max(0, 100 * (busy - jvm - db) / capacity), d);
    }

    /** Writes completed, ms writing, flushes completed, ms flushing: summed over whole disks in /proc/diskstats. */
    private static long[] disks() {
        long[] d = new long[4];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/diskstats"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 14 || !f[2].matches("(sd|vd|xvd|hd)[a-z]+|nvme\\d+n\\d+|mmcblk\\d+")) {
                    continue;
                }
                d[0] += Long.parseLong(f[7]);
                d[1] += Long.parseLong(f[10]);
                if (f.length >= 20) {
                    d[2] += Long.parseLong(f[18]);
                    d[3] += Long.parseLong(f[19]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return d;
    }

    private static double jvmCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** All CPU time spent outside idle and iowait since boot, in seconds. */
    private static double machineBusy() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return (total - idle) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double processCpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
