package org.grouprelay.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.grouprelay.config.CronSchedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the check inside {@code serve} on its cron schedule (default nightly), against the in-process
 * directory. One thread, and the next run is scheduled only after the current one ended, so runs
 * never overlap; a failed run is logged and the schedule goes on. The schedule and the delivery can
 * be replaced while running ({@link #reconfigure}, on SIGHUP).
 *
 * <p>Metrics: the last run anywhere ({@code check-status.json}, so a manual {@code check --repair}
 * counts too) as {@code grouprelay.check.drift.findings}, {@code .in.sync} and
 * {@code .last.run.timestamp}; the findings of this process's last run by kind as
 * {@code grouprelay.check.findings}; runs by outcome as {@code grouprelay.check.runs}.
 */
public final class ScheduledCheck implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduledCheck.class);

    private final String target;
    private volatile String schedule;
    private final CheckService service;
    private final DirectorySource directory;
    private volatile Consumer<CheckRun> deliver;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<Finding.Kind, AtomicInteger> findings = new EnumMap<>(Finding.Kind.class);
    private ScheduledFuture<?> next;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "grouprelay-check");
        thread.setDaemon(true);
        return thread;
    });

    /** Without metrics (they go to a registry nobody reads), for the target named seafile. */
    public ScheduledCheck(String schedule, CheckService service, DirectorySource directory, Consumer<CheckRun> deliver, Clock clock) {
        this("seafile", schedule, service, directory, deliver, clock, new CompositeMeterRegistry());
    }

    /** Checks the target named {@code target} (the {@code target} label of its meters). */
    public ScheduledCheck(String target, String schedule, CheckService service, DirectorySource directory, Consumer<CheckRun> deliver,
            Clock clock, MeterRegistry metrics) {
        this.target = target;
        this.schedule = schedule;
        this.service = service;
        this.directory = directory;
        this.deliver = deliver;
        this.clock = clock;
        this.metrics = metrics;
        LocalState local = service.local();
        Gauge.builder("grouprelay.check.drift.findings", local, l -> l.lastRun().map(r -> (double) r.driftFindings()).orElse(Double.NaN))
                .strongReference(true).tag("target", target).description("Drift findings of the last consistency check (NaN before the first)").register(metrics);
        Gauge.builder("grouprelay.check.in.sync", local, l -> l.lastRun().map(r -> r.inSync() ? 1.0 : 0.0).orElse(Double.NaN))
                .strongReference(true).tag("target", target).description("1 when the last consistency check found the target in sync").register(metrics);
        Gauge.builder("grouprelay.check.last.run.timestamp", local,
                l -> l.lastRun().map(r -> r.instant().toEpochMilli() / 1000.0).orElse(Double.NaN))
                .strongReference(true).tag("target", target).baseUnit("seconds").description("When the last consistency check ran (Unix time)").register(metrics);
        for (Finding.Kind kind : Finding.Kind.values()) {
            AtomicInteger count = new AtomicInteger();
            findings.put(kind, count);
            Gauge.builder("grouprelay.check.findings", count, AtomicInteger::get).strongReference(true).tags("target", target, "kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Findings of this process's last scheduled check, by kind").register(metrics);
        }
    }

    public ScheduledCheck start() {
        scheduleNext();
        return this;
    }

    /** Replaces the schedule and the delivery (e-mail settings); the next run follows the new schedule. */
    public synchronized void reconfigure(String newSchedule, Consumer<CheckRun> newDeliver) {
        this.schedule = newSchedule;
        this.deliver = newDeliver;
        if (!executor.isShutdown()) {
            scheduleNext();
        }
    }

    private synchronized void scheduleNext() {
        if (next != null) {
            next.cancel(false); // a reconfigure while a run is under way: that run schedules once more when it ends
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.systemDefault()));
        Optional<ZonedDateTime> at = CronSchedules.next(schedule, now);
        if (at.isEmpty()) {
            log.warn("check.schedule '{}' never fires again; no scheduled checks", schedule);
            return;
        }
        long delay = Duration.between(now, at.get()).toMillis();
        next = executor.schedule(this::runOnce, Math.max(0, delay), TimeUnit.MILLISECONDS);
        log.info("{}: next consistency check at {}", target, at.get());
    }

    /** Runs one check now (on the calling thread) and delivers its report. */
    public CheckRun runNow() throws Exception {
        CheckRun run;
        try {
            run = service.run(directory, CheckService.Options.checkOnly());
        } catch (Exception | Error e) {
            runs("error");
            throw e;
        }
        long drift = run.plan().findings().stream().filter(f -> f.kind().drift()).count();
        run.plan().counts().forEach((kind, n) -> findings.get(kind).set(n));
        runs(drift == 0 ? "in-sync" : "drift");
        log.info("{}: consistency check: {} group(s), {} membership(s), {}", target, run.plan().groups(), run.plan().memberships(),
                drift == 0 ? "in sync" : drift + " drift finding(s)");
        deliver.accept(run);
        return run;
    }

    private void runs(String outcome) {
        Counter.builder("grouprelay.check.runs").description("Scheduled consistency checks by outcome (in-sync, drift, error)")
                .tags("target", target, "outcome", outcome).register(metrics).increment();
    }

    private void runOnce() {
        try {
            runNow();
        } catch (Exception | Error e) {
            log.error("{}: consistency check failed: {}", target, e.toString());
        } finally {
            if (!executor.isShutdown()) {
                scheduleNext();
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
