package org.grouprelay.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.grouprelay.config.CheckConfig;
import org.grouprelay.reconcile.CheckRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a finished check: the report is archived first, then mailed when e-mail is
 * configured and wanted. Neither failure stops the other, so a report reaches at least one place
 * whenever it can; the caller turns {@link Outcome#ok()} into the exit code.
 */
public final class ReportDelivery {
    private static final Logger log = LoggerFactory.getLogger(ReportDelivery.class);

    public enum MailStatus { SENT, NOT_CONFIGURED, SKIPPED_IN_SYNC, FAILED }

    /**
     * @param files        the archived report per format; empty when archiving failed
     * @param archiveError why archiving failed
     * @param mailError    why mailing failed ({@link MailStatus#FAILED})
     */
    public record Outcome(Map<Format, Path> files, Optional<String> archiveError, MailStatus mail, Optional<String> mailError) {
        public Outcome {
            files = Map.copyOf(files);
        }

        public boolean ok() {
            return archiveError.isEmpty() && mail != MailStatus.FAILED;
        }
    }

    private final ReportArchive archive;
    private final CheckConfig check;
    private final Optional<Mailer> mailer;

    public ReportDelivery(ReportArchive archive, CheckConfig check, Clock clock) {
        this(archive, check, check.email().map(email -> new Mailer(email, clock)));
    }

    ReportDelivery(ReportArchive archive, CheckConfig check, Optional<Mailer> mailer) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.check = Objects.requireNonNull(check, "check");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
    }

    /** Mail unless {@code onlyOnDrift} is set and Seafile is in sync (notes such as pending members alone send nothing). */
    public static boolean shouldMail(CheckConfig check, CheckRun run) {
        return check.email().isPresent() && !(check.onlyOnDrift() && run.plan().inSync());
    }

    public Outcome deliver(CheckRun run) {
        Map<Format, Path> files = Map.of();
        Optional<String> archiveError = Optional.empty();
        try {
            files = archive.write(run);
        } catch (IOException | RuntimeException e) {
            archiveError = Optional.of("could not write the check report to " + archive.directory() + ": " + e);
            log.error("{}", archiveError.get());
        }
        if (mailer.isEmpty()) {
            return new Outcome(files, archiveError, MailStatus.NOT_CONFIGURED, Optional.empty());
        }
        if (!shouldMail(check, run)) {
            log.info("in sync: no report mail (check.onlyOnDrift)");
            return new Outcome(files, archiveError, MailStatus.SKIPPED_IN_SYNC, Optional.empty());
        }
        try {
            mailer.get().send(run);
            return new Outcome(files, archiveError, MailStatus.SENT, Optional.empty());
        } catch (MailException e) {
            log.error("{}{}", e.getMessage(), files.isEmpty() ? "" : "; the report is in " + files.get(Format.TEXT));
            return new Outcome(files, archiveError, MailStatus.FAILED, Optional.of(e.getMessage()));
        }
    }
}
