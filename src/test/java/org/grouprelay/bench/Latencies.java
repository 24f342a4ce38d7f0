package org.grouprelay.bench;

import java.util.Arrays;
import java.util.Collection;

/** Latency samples in nanoseconds; one instance per thread, merged for percentiles. Not thread-safe. */
final class Latencies {
    private long[] samples = new long[1024];
    private int size;

    void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    int count() {
        return size;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            record(other.samples[i]);
        }
    }

    static Latencies merge(Collection<Latencies> parts) {
        Latencies all = new Latencies();
        for (Latencies part : parts) {
            for (int i = 0; i < part.size; i++) {
                all.record(part.samples[i]);
            }
        }
        return all;
    }

    /** A sorted, immutable view for percentiles. */
    Summary summary() {
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return new Summary(sorted);
    }

    record Summary(long[] sorted) {
        int count() {
            return sorted.length;
        }

        /** Nearest-rank percentile in milliseconds; NaN without samples. */
        double percentileMs(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e6;
        }

        double meanMs() {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            double sum = 0;
            for (long s : sorted) {
                sum += s;
            }
            return sum / sorted.length / 1e6;
        }

        double maxMs() {
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
        }
    }
}
