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
import org.grouprelay.config.TargetConfig;
import org.grouprelay.reconcile.LocalState;
import org.grouprelay.relay.Relay;
import org.grouprelay.targets.Target;

/**
 * Gathers a {@link StatusReport} and decides whether grouprelay is healthy. Unhealthy means: the
 * directory does not accept a bind, a target (Seafile's database, a SCIM app) does not answer, or the oldest
 * change queued for a target has waited longer than {@link #MAX_BACKLOG_AGE} (the relay is stuck). Drift found by the last check,
 * a young backlog and pending members are reported but are not failures of the running service.
 *
 * <p>{@code serve} takes the outbox and pending members from the running relays; the {@code status}
 * command reads them from each target's state directory ({@link #of}). Both
 * probe the directory over LDAP and each target with one cheap request.
 */
public final class StatusProbe {
    public static final Duration MAX_BACKLOG_AGE = Duration.ofMinutes(5);

    /** One target as status sees it: its settings, its running relay (inside serve) and a client to probe it with. */
    public record Source(TargetConfig config, Optional<Relay> relay, Target target) {
    }

    /** What is read per target: the probe, the backlog, pending members, last check and last error. */
    private record Reader(TargetConfig config, Supplier<StatusReport.Probe> probe, Supplier<OutboxLine.Backlog> outbox,
            Supplier<StatusReport.Pending> pending, LocalState local, DataDirFiles files) {
    }

    private final Supplier<StatusReport.Probe> directory;
    private final List<Reader> targets;
    private final Clock clock;

    private StatusProbe(Supplier<StatusReport.Probe> directory, List<Reader> targets, Clock clock) {
        this.directory = directory;
        this.targets = List.copyOf(targets);
        this.clock = clock;
    }

    /**
     * Probes the directory and {@code targets}: a source with its running relay ({@code serve}) reports that relay's
     * outbox and pending members, one without (the {@code status} command) reads them from the target's state directory.
     */
    public static StatusProbe of(Config config, List<Source> targets, Clock clock) {
        return new StatusProbe(new DirectoryProbe(config.directory(), DirectoryProbe.DEFAULT_TIMEOUT)::probe,
                targets.stream().map(t -> reader(config, t, clock)).toList(), clock);
    }

    private static Reader reader(Config config, Source source, Clock clock) {
        Path stateDir = source.config().stateDir(config.directory().dataDir());
        DataDirFiles files = new DataDirFiles(stateDir, Optional.of(source.config().settings().auditLog()));
        LocalState local = new LocalState(stateDir, source.config().settings().auditLog(), clock);
        Supplier<OutboxLine.Backlog> outbox = source.relay().<Supplier<OutboxLine.Backlog>>map(r -> () -> new OutboxLine.Backlog(r.outboxDepth(),
                r.oldestQueued())).orElse(() -> read(local::backlog));
        Supplier<StatusReport.Pending> pending = source.relay().<Supplier<StatusReport.Pending>>map(r -> () -> new StatusReport.Pending(
                r.pendingMembers(), r.pendingUsers())).orElse(() -> read(files::pending));
        return new Reader(source.config(), () -> probe(source.target()), outbox, pending, local, files);
    }

    /** One cheap request to the target, bounded by its own timeouts. */
    static StatusReport.Probe probe(Target target) {
        long started = System.nanoTime();
        try {
            target.probe();
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
        List<StatusReport.TargetStatus> statuses = new ArrayList<>();
        for (Reader target : targets) {
            String name = target.config().label();
            StatusReport.Probe answer = target.probe().get();
            if (!answer.up()) {
                problems.add(name + ": " + answer.detail());
            }
            OutboxLine.Backlog backlog = target.outbox().get();
            if (backlog.depth() > 0) {
                Duration age = backlog.oldest().map(t -> Duration.between(t, now)).orElse(Duration.ZERO);
                String waiting = (targets.size() == 1 ? "" : name + ": ") + "outbox: " + backlog.depth() + " change(s) waiting, the oldest for "
                        + age.toSeconds() + " s";
                if (age.compareTo(MAX_BACKLOG_AGE) > 0) {
                    problems.add(waiting + " (more than " + MAX_BACKLOG_AGE.toSeconds() + " s: the relay is not getting through)");
                } else {
                    warnings.add(waiting);
                }
            }
            Optional<LocalState.LastRun> last = target.local().lastRun();
            last.filter(r -> !r.inSync()).ifPresent(r -> warnings.add((targets.size() == 1 ? "" : name + ": ") + "the last check (" + r.time()
                    + ") found " + r.driftFindings() + " drift finding(s): see the reports, or run grouprelay check --repair"));
            statuses.add(new StatusReport.TargetStatus(target.config().name(), target.config().settings().kind(), answer, backlog,
                    target.pending().get(), last, read(target.files()::lastError)));
        }
        return new StatusReport(now, problems.isEmpty(), problems, warnings, ldap, statuses);
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
