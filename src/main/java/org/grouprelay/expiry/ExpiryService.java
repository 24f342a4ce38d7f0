package org.grouprelay.expiry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.directory.server.core.api.DirectoryService;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.config.ExpiryConfig;
import org.grouprelay.reconcile.InProcessDirectorySource;
import org.grouprelay.report.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memberships that expire, inside {@code serve}: at start and every {@code expiry.checkSeconds} (10 s) it reads the
 * groups of class {@code grouprelayExpiringGroup}, ends the memberships whose time came (unless
 * {@code expiry.enforce: false}) and sends the notices and digest that are due (when {@code check.report.email} is set).
 */
public final class ExpiryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExpiryService.class);

    private final ExpiryConfig config;
    private final MembershipReader reader;
    private final InProcessDirectorySource directory;
    private final Enforcer enforcer;
    private final Optional<Notices> notices;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    private ExpiryService(ExpiryConfig config, MembershipReader reader, InProcessDirectorySource directory, Enforcer enforcer,
            Optional<Notices> notices, Clock clock) {
        this.config = config;
        this.reader = reader;
        this.directory = directory;
        this.enforcer = enforcer;
        this.notices = notices;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "grouprelay-expiry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the loop; the first round (what ended while {@code serve} was stopped) runs at once. */
    public static ExpiryService start(DirectoryService service, String groupsDn, String placeholder, ExpiryConfig config,
            Optional<CheckConfig.Email> email, Path dataDir, Clock clock) throws IOException {
        InProcessDirectorySource directory = new InProcessDirectorySource(service);
        Optional<Notices> notices = Optional.empty();
        if (email.isPresent() && config.notifyDays() > 0) {
            notices = Optional.of(new Notices(config, email.get(), new Mailer(email.get(), clock), NoticeState.load(dataDir), directory));
        } else if (config.notifyDays() > 0) {
            log.info("expiry notices are off: they are mailed through check.report.email, which is not set");
        }
        ExpiryService expiry = new ExpiryService(config, new MembershipReader(groupsDn, placeholder), directory,
                new Enforcer(service, placeholder), notices, clock);
        expiry.timer.scheduleWithFixedDelay(expiry::round, 0, config.every().toMillis(), TimeUnit.MILLISECONDS);
        return expiry;
    }

    private void round() {
        try {
            Instant now = clock.instant();
            List<GroupExpiry> groups = reader.read(directory, MembershipReader.EXPIRING, Set.of());
            if (config.enforce() && enforcer.enforce(groups, now) > 0) {
                groups = reader.read(directory, MembershipReader.EXPIRING, Set.of());
            }
            if (notices.isPresent()) {
                notices.get().run(groups, now);
            }
        } catch (Exception | Error e) {
            log.error("memberships that expire: this round failed, the next one tries again: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
