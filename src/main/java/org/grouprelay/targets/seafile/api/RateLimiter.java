package org.grouprelay.targets.seafile.api;

import java.time.Duration;

/**
 * Spaces request starts at least {@code 1/maxPerSecond} apart across all threads, and holds every
 * request back while Seafile has asked to wait ({@code Retry-After}).
 */
final class RateLimiter {
    private final long intervalNanos;
    private long nextSlot = System.nanoTime();
    private long pausedUntil = System.nanoTime();

    RateLimiter(int maxPerSecond) {
        this.intervalNanos = 1_000_000_000L / maxPerSecond;
    }

    /** Waits for this caller's slot. */
    void acquire() throws InterruptedException {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(Math.max(now, nextSlot), pausedUntil);
            nextSlot = slot + intervalNanos;
        }
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** Seafile throttled us: nobody sends before {@code wait} has passed. */
    synchronized void pause(Duration wait) {
        pausedUntil = Math.max(pausedUntil, System.nanoTime() + wait.toNanos());
    }
}
