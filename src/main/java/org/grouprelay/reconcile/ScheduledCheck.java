package org.grouprelay.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.grouprelay.config.CronSchedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the check inside {@code serve} on its cron schedule (default nightly), against the in-process
 * directory. One thread, and the next run is scheduled only after the current one ended, so runs
 * never overlap; a failed run is logged and the schedule goes on.
 */
public final class ScheduledCheck implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduledCheck.class);

    private final String schedule;
    private final CheckService service;
    private final DirectorySource directory;
    private final Consumer<CheckRun> deliver;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "grouprelay-check");
        thread.setDaemon(true);
        return thread;
    });

    public ScheduledCheck(String schedule, CheckService service, DirectorySource directory, Consumer<CheckRun> deliver, Clock clock) {
        this.schedule = schedule;
        this.service = service;
        this.directory = directory;
        this.deliver = deliver;
        this.clock = clock;
    }

    public ScheduledCheck start() {
        scheduleNext();
        return this;
    }

    private void scheduleNext() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.systemDefault()));
        Optional<ZonedDateTime> next = CronSchedules.next(schedule, now);
        if (next.isEmpty()) {
            log.warn("check.schedule '{}' never fires again; no scheduled checks", schedule);
            return;
        }
        long delay = Duration.between(now, next.get()).toMillis();
        executor.schedule(this::runOnce, Math.max(0, delay), TimeUnit.MILLISECONDS);
        log.info("next consistency check at {}", next.get());
    }

    /** Runs one check now (on the calling thread) and delivers its report. */
    public CheckRun runNow() throws Exception {
        CheckRun run = service.run(directory, CheckService.Options.checkOnly());
        long drift = run.plan().findings().stream().filter(f -> f.kind().drift()).count();
        log.info("consistency check: {} group(s), {} membership(s), {}", run.plan().groups(), run.plan().memberships(),
                drift == 0 ? "in sync" : drift + " drift finding(s)");
        deliver.accept(run);
        return run;
    }

    private void runOnce() {
        try {
            runNow();
        } catch (Exception | Error e) {
            log.error("consistency check failed: {}", e.toString());
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
