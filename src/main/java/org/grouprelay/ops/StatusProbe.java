package org.grouprelay.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.grouprelay.relay.OutboxLine;
import org.grouprelay.config.Config;
import org.grouprelay.reconcile.LocalState;
import org.grouprelay.relay.Relay;
import org.grouprelay.targets.Target;

/**
 * Gathers a {@link StatusReport} and decides whether grouprelay is healthy. Unhealthy means: the
 * directory does not accept a bind, Seafile's database does not answer, or the oldest queued change
 * has waited longer than {@link #MAX_BACKLOG_AGE} (the relay is stuck). Drift found by the last check,
 * a young backlog and pending members are reported but are not failures of the running service.
 *
 * <p>{@code serve} ({@link #inProcess}) takes the outbox and pending members from the running relay;
 * the {@code status} command ({@link #fromOutside}) reads them from {@code dataDir}. Both probe the
 * directory over LDAP and the database with one index-only query.
 */
public final class StatusProbe {
    public static final Duration MAX_BACKLOG_AGE = Duration.ofMinutes(5);

    private final Supplier<StatusReport.Probe> directory;
    private final Optional<Supplier<StatusReport.Probe>> seafile;
    private final Supplier<OutboxLine.Backlog> outbox;
    private final Supplier<StatusReport.Pending> pending;
    private final LocalState local;
    private final DataDirFiles files;
    private final Clock clock;

    private StatusProbe(Supplier<StatusReport.Probe> directory, Optional<Supplier<StatusReport.Probe>> seafile,
            Supplier<OutboxLine.Backlog> outbox, Supplier<StatusReport.Pending> pending, LocalState local, DataDirFiles files, Clock clock) {
        this.directory = directory;
        this.seafile = seafile;
        this.outbox = outbox;
        this.pending = pending;
        this.local = local;
        this.files = files;
        this.clock = clock;
    }

    /** Inside {@code serve}: the relay's own outbox and pending members; {@code target} is the relay's. */
    public static StatusProbe inProcess(Config config, Optional<Relay> relay, Optional<? extends Target> target, Clock clock) {
        Path dataDir = config.directory().dataDir();
        DataDirFiles files = new DataDirFiles(dataDir, config.seafile().map(s -> s.auditLog()));
        return new StatusProbe(new DirectoryProbe(config.directory(), DirectoryProbe.DEFAULT_TIMEOUT)::probe,
                target.map(t -> () -> seafile(t)),
                () -> relay.map(r -> new OutboxLine.Backlog(r.outboxDepth(), r.oldestQueued())).orElse(new OutboxLine.Backlog(0, Optional.empty())),
                () -> relay.map(r -> new StatusReport.Pending(r.pendingMembers(), r.pendingUsers())).orElse(new StatusReport.Pending(0, 0)),
                localState(config, clock), files, clock);
    }

    /** Beside {@code serve} (the status command): LDAP, the database, and the files in {@code dataDir}. */
    public static StatusProbe fromOutside(Config config, Optional<? extends Target> target, Clock clock) {
        DataDirFiles files = new DataDirFiles(config.directory().dataDir(), config.seafile().map(s -> s.auditLog()));
        LocalState local = localState(config, clock);
        return new StatusProbe(new DirectoryProbe(config.directory(), DirectoryProbe.DEFAULT_TIMEOUT)::probe,
                target.map(t -> () -> seafile(t)), () -> read(local::backlog), () -> read(files::pending), local, files, clock);
    }

    private static LocalState localState(Config config, Clock clock) {
        Path dataDir = config.directory().dataDir();
        return new LocalState(dataDir, config.seafile().map(s -> s.auditLog()).orElse(dataDir.resolve("audit.jsonl")), clock);
    }

    /** One index-only query (the account tables' highest ids), bounded by the pool's timeouts (seafile.deadlineMillis). */
    static StatusReport.Probe seafile(Target target) {
        long started = System.nanoTime();
        try {
            target.users().accountsWatermark();
            return new StatusReport.Probe(true, target.describe() + " answered", DirectoryProbe.millisSince(started));
        } catch (Exception e) {
            return new StatusReport.Probe(false, target.describe() + ": " + oneLine(e), DirectoryProbe.millisSince(started));
        }
    }

    public StatusReport report() {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        StatusReport.Probe ldap = directory.get();
        if (!ldap.up()) {
            problems.add("directory: " + ldap.detail());
        }
        Optional<StatusReport.Probe> db = seafile.map(Supplier::get);
        db.filter(p -> !p.up()).ifPresent(p -> problems.add("Seafile: " + p.detail()));
        Optional<org.grouprelay.relay.OutboxLine.Backlog> backlog = seafile.isPresent() ? Optional.of(outbox.get()) : Optional.empty();
        backlog.filter(b -> b.depth() > 0).ifPresent(b -> {
            Duration age = b.oldest().map(t -> Duration.between(t, now)).orElse(Duration.ZERO);
            String waiting = "outbox: " + b.depth() + " change(s) waiting, the oldest for " + age.toSeconds() + " s";
            if (age.compareTo(MAX_BACKLOG_AGE) > 0) {
                problems.add(waiting + " (more than " + MAX_BACKLOG_AGE.toSeconds() + " s: the relay is not getting through)");
            } else {
                warnings.add(waiting);
            }
        });
        Optional<StatusReport.Pending> members = seafile.isPresent() ? Optional.of(pending.get()) : Optional.empty();
        Optional<LocalState.LastRun> last = local.lastRun();
        last.filter(r -> !r.inSync()).ifPresent(r -> warnings.add("the last check (" + r.time() + ") found " + r.driftFindings()
                + " drift finding(s): see dataDir/reports, or run grouprelay check --repair"));
        Optional<StatusReport.LastError> error = read(files::lastError);
        return new StatusReport(now, problems.isEmpty(), problems, warnings, ldap, db, backlog, members, last, error);
    }

    private interface Read<T> {
        T get() throws IOException;
    }

    private static <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read grouprelay's data directory: " + e.getMessage(), e);
        }
    }

    /** The root cause's message on one line. */
    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (e != root && e.getMessage() != null && !e.getMessage().contains(message)) {
            message = e.getMessage() + ": " + message;
        }
        return message.replaceAll("\\s+", " ").strip();
    }
}
