package org.grouprelay;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.capture.CaptureInterceptor;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.config.Config;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.config.Endpoint;
import org.grouprelay.config.Environment;
import org.grouprelay.config.OpsConfig;
import org.grouprelay.directory.EmbeddedDirectory;
import org.grouprelay.directory.HeldReplies;
import org.grouprelay.expiry.ExpiredMemberships;
import org.grouprelay.expiry.ExpiryService;
import org.grouprelay.keycloak.AdminEventFollower;
import org.grouprelay.keycloak.DirectoryGroups;
import org.grouprelay.ops.FreePorts;
import org.grouprelay.ops.LdapMetricsInterceptor;
import org.grouprelay.ops.Meters;
import org.grouprelay.ops.OpsHttpServer;
import org.grouprelay.ops.PortInUseException;
import org.grouprelay.ops.StatusProbe;
import org.grouprelay.ops.StatusReport;
import org.grouprelay.relay.AuditLog;
import org.grouprelay.reconcile.CheckService;
import org.grouprelay.reconcile.Checker;
import org.grouprelay.reconcile.LocalState;
import org.grouprelay.reconcile.InProcessDirectorySource;
import org.grouprelay.reconcile.Repairer;
import org.grouprelay.reconcile.ScheduledCheck;
import org.grouprelay.report.ReportArchive;
import org.grouprelay.report.ReportDelivery;
import org.grouprelay.relay.Relay;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.Targets;
import org.grouprelay.change.ChangeSink;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.config.TargetSettings;
import org.grouprelay.relay.Fanout;
import java.nio.file.Path;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The façade that wires the pipeline from a {@link Config}, in one place, top to bottom:
 * directory → capture → relay → target, then the operations side (metrics, status, HTTP endpoint).
 * Closing it stops everything it started, in reverse; {@link #shutdown} drains the outbox first.
 */
public final class GroupRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupRelay.class);

    /** One target, relayed and checked: its settings, the client, its audit trail, its relay and its scheduled check. */
    public record Relayed(TargetConfig config, Target target, AuditLog audit, Relay relay, ScheduledCheck check) {
        void close() {
            check.close();
            relay.close();
            target.close();
            audit.close();
        }
    }

    private final Config config;
    private final EmbeddedDirectory directory;
    private final List<Relayed> targets;
    private final PrometheusMeterRegistry metrics;
    private final StatusProbe status;
    private final Clock clock;
    private Optional<OpsHttpServer> http = Optional.empty();
    private Optional<AdminEventFollower> keycloak = Optional.empty();
    private Optional<ExpiryService> expiry = Optional.empty();

    private GroupRelay(Config config, EmbeddedDirectory directory, List<Relayed> targets, PrometheusMeterRegistry metrics, Clock clock) {
        this.config = config;
        this.directory = directory;
        this.targets = List.copyOf(targets);
        this.metrics = metrics;
        this.clock = clock;
        this.status = StatusProbe.of(config, targets.stream().map(t -> new StatusProbe.Source(t.config(), Optional.of(t.relay()),
                t.target())).toList(), clock);
    }

    public static GroupRelay start(Config config, Environment env, Clock clock) throws Exception {
        requireFreePorts(config);
        PrometheusMeterRegistry metrics = Meters.registry();
        if (config.targets().isEmpty()) {
            log.warn("no targets in the configuration (no seafile or targets section): the directory runs, group changes are not relayed");
            return new GroupRelay(config, EmbeddedDirectory.start(config.directory(), env, clock), List.of(), metrics, clock).startOps();
        }
        Path dataDir = config.directory().dataDir();
        List<Target> opened = new ArrayList<>();
        List<AuditLog> audits = new ArrayList<>();
        List<Relay> relays = new ArrayList<>();
        List<ScheduledCheck> checks = new ArrayList<>();
        try {
            for (TargetConfig target : config.targets()) {
                Target client = Targets.open(target, dataDir, clock);
                opened.add(client);
                prepare(target, client);
                AuditLog audit = new AuditLog(target.settings().auditLog());
                audits.add(audit);
                TargetSettings settings = target.settings();
                relays.add(new Relay(target.name(), target.label(), client, audit, target.stateDir(dataDir), settings.mode(),
                        settings.deadline(), clock, metrics));
            }
            HeldReplies replies = new HeldReplies();
            ChangeSink sink = relays.size() == 1 ? relays.get(0) : Fanout.of(relays);
            CaptureInterceptor capture = new CaptureInterceptor(membershipRules(config.directory(), config.targets(), opened), sink, replies);
            EmbeddedDirectory directory = EmbeddedDirectory.start(config.directory(), env, List.of(capture), Optional.of(replies), clock);
            relays.forEach(r -> r.start(capture.groupReader()));
            List<Relayed> relayed = new ArrayList<>();
            for (int i = 0; i < relays.size(); i++) {
                TargetConfig target = config.targets().get(i);
                ScheduledCheck check = new ScheduledCheck(target.name(), config.check().schedule(),
                        checkService(config, target, opened.get(i), clock), new InProcessDirectorySource(directory.service()),
                        delivery(config, target, clock)::deliver, clock, metrics).start();
                checks.add(check);
                relayed.add(new Relayed(target, opened.get(i), audits.get(i), relays.get(i), check));
                log.info("relaying group changes to {} as target {} ({} mode, nested groups: {}, users: {})", opened.get(i).describe(),
                        target.name(), target.settings().mode().name().toLowerCase(), target.settings().nested().name().toLowerCase(),
                        opened.get(i).accounts().describe());
            }
            return new GroupRelay(config, directory, relayed, metrics, clock).startOps();
        } catch (Exception | Error e) {
            checks.forEach(ScheduledCheck::close);
            relays.forEach(Relay::close);
            opened.forEach(Target::close);
            audits.forEach(AuditLog::close);
            throw e;
        }
    }

    /** Every port {@code serve} listens on is free before anything starts: a taken one is one line naming its key. */
    private static void requireFreePorts(Config config) throws PortInUseException {
        FreePorts.require(config.directory().ldap(), "directory.ldap.port");
        if (config.directory().ldaps().isPresent()) {
            FreePorts.require(config.directory().ldaps().get(), "directory.ldaps.port");
        }
        OpsConfig.Http http = config.ops().http();
        if (http.enabled()) {
            FreePorts.require(new Endpoint(http.host(), http.port()), "ops.http.port");
        }
    }

    /**
     * LDAP operation meters first in ApacheDS's chain, then the HTTP endpoint if {@code ops.http.enabled}, the end of
     * memberships that expire (and their notices), and the follower of Keycloak's admin events if there is a
     * {@code keycloak} section.
     */
    private GroupRelay startOps() throws Exception {
        try {
            directory.service().addFirst(new LdapMetricsInterceptor(metrics));
            if (config.ops().http().enabled()) {
                http = Optional.of(OpsHttpServer.start(config.ops().http(), status::report, metrics));
            }
            String placeholder = config.targets().stream().findFirst().map(t -> t.settings().placeholderMember())
                    .orElse(MembershipRules.KEYCLOAK_PLACEHOLDER);
            expiry = Optional.of(ExpiryService.start(directory.service(), config.directory().groupsDn(), placeholder, config.expiry(),
                    config.check().email(), config.directory().dataDir(), clock));
            if (config.keycloak().isPresent()) {
                keycloak = Optional.of(AdminEventFollower.start(config.keycloak().get(),
                        new DirectoryGroups(directory.service(), config.directory().groupsDn(), placeholder), config.directory().dataDir(), clock));
            }
            return this;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Reports of {@code target}'s checks go to {@code reports} in its state directory. */
    private static ReportDelivery delivery(Config config, TargetConfig target, Clock clock) {
        return new ReportDelivery(new ReportArchive(target.stateDir(config.directory().dataDir())), config.check(), clock);
    }

    /** The target gets ready (link table, credentials); unreachable is a warning, wrong is an error. */
    private static void prepare(TargetConfig config, Target target) throws TargetException {
        try {
            target.prepare();
        } catch (TargetException e) {
            if (!e.isTransient()) {
                throw new TargetException("target " + config.name() + ": " + e.getMessage(), false, e);
            }
            log.warn("{} is not reachable yet ({}); changes will be applied once it is", target.describe(), e.getMessage());
        }
    }

    /** The consistency check of the first target (the only one in a single-target configuration), on {@code target}. */
    public static CheckService checkService(Config config, Target target, Clock clock) {
        return checkService(config, config.targets().get(0), target, clock);
    }

    /** The consistency check of {@code targetConfig}, on {@code target}. */
    public static CheckService checkService(Config config, TargetConfig targetConfig, Target target, Clock clock) {
        LocalState local = new LocalState(targetConfig.stateDir(config.directory().dataDir()), targetConfig.settings().auditLog(), clock);
        return new CheckService(new Checker(targetConfig.label(), membershipRules(config.directory(), List.of(targetConfig), List.of(target)),
                target.accounts(),
                target, local, clock), new Repairer(target, config.check().maxRemovalShare()), local, targetConfig.label(),
                Optional.of(new ExpiredMemberships(config.directory(), targetConfig.settings().placeholderMember(), clock)));
    }

    /**
     * What capture reads of each group and user: the directory's layout, the targets' shared nested policy and placeholder
     * (the loader made them agree), and every attribute any target's user matching needs.
     */
    public static MembershipRules membershipRules(DirectoryConfig directory, List<TargetConfig> targets, List<Target> clients) {
        Set<String> attributes = new LinkedHashSet<>(List.of("mail", "uid", "entryUUID"));
        clients.forEach(c -> attributes.addAll(c.accounts().attributes()));
        TargetSettings first = targets.get(0).settings();
        return new MembershipRules(directory.peopleDn(), directory.groupsDn(), first.placeholderMember(), first.nested(),
                List.copyOf(attributes));
    }

    public Config config() {
        return config;
    }

    public EmbeddedDirectory directory() {
        return directory;
    }

    /** The first target's relay, when there is a target. */
    public Optional<Relay> relay() {
        return targets.stream().findFirst().map(Relayed::relay);
    }

    /** The first target's scheduled consistency check, when there is a target. */
    public Optional<ScheduledCheck> check() {
        return targets.stream().findFirst().map(Relayed::check);
    }

    /** Every target, relayed and checked, in the configuration's order. */
    public List<Relayed> targets() {
        return targets;
    }

    /** The registry behind {@code /metrics}. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** What {@code /health} answers, gathered now. */
    public StatusReport status() {
        return status.report();
    }

    /**
     * Applies {@code fresh}'s {@code check} section (schedule, report e-mail) to the running service, as
     * SIGHUP does; other sections need a restart, and the log says so when they differ. Returns what was
     * applied, in one line.
     */
    public String reload(Config fresh) {
        String applied;
        if (targets.isEmpty()) {
            applied = "nothing to apply (the scheduled check runs only with targets)";
        } else {
            targets.forEach(t -> t.check().reconfigure(fresh.check().schedule(), delivery(fresh, t.config(), clock)::deliver));
            applied = "check.schedule '" + fresh.check().schedule() + "', report e-mail "
                    + fresh.check().email().map(e -> "to " + e.to() + (fresh.check().onlyOnDrift() ? " (only on drift)" : "")).orElse("off");
        }
        log.info("configuration reloaded: {}", applied);
        if (!fresh.directory().equals(config.directory()) || !fresh.targets().equals(config.targets()) || !fresh.ops().equals(config.ops())
                || !fresh.keycloak().equals(config.keycloak()) || !fresh.expiry().equals(config.expiry())) {
            log.warn("configuration reloaded: changes outside the check section take effect at the next restart");
            applied += "; changes outside the check section take effect at the next restart";
        }
        return applied;
    }

    /**
     * Stops as SIGTERM asks: no new LDAP operations (the directory stops first; an operation already
     * answered has its change in the outbox), then up to {@code drain} for queued changes to reach
     * Seafile, then the relay (in-flight attempts finish) and the rest. What does not drain stays in
     * the outbox for the next start.
     */
    public void shutdown(Duration drain) {
        expiry.ifPresent(ExpiryService::close);
        keycloak.ifPresent(AdminEventFollower::close);
        targets.forEach(t -> t.check().close());
        directory.close();
        long end = System.nanoTime() + drain.toNanos();
        targets.forEach(t -> drain(t.relay(), Duration.ofNanos(Math.max(0, end - System.nanoTime()))));
        closeRelayAndOps();
    }

    private static void drain(Relay relay, Duration bound) {
        int depth = relay.outboxDepth();
        if (depth == 0) {
            return;
        }
        log.info("stopping: up to {} s for {} queued change(s) to reach {}", Math.round(bound.toMillis() / 1000.0), depth, relay.label());
        try {
            if (relay.awaitDrained(bound)) {
                log.info("stopping: outbox drained{}", relay.name().equals(TargetConfig.SEAFILE) ? "" : " (target " + relay.name() + ")");
            } else {
                log.warn("stopping: {} change(s) stay in the outbox of {}; they are applied first at the next start", relay.outboxDepth(),
                        relay.label());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        expiry.ifPresent(ExpiryService::close);
        keycloak.ifPresent(AdminEventFollower::close);
        targets.forEach(t -> t.check().close());
        directory.close();
        closeRelayAndOps();
    }

    private void closeRelayAndOps() {
        http.ifPresent(OpsHttpServer::close);
        targets.forEach(Relayed::close);
        metrics.close();
    }
}
