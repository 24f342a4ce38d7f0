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
import org.grouprelay.config.Environment;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.directory.EmbeddedDirectory;
import org.grouprelay.directory.HeldReplies;
import org.grouprelay.keycloak.AdminEventFollower;
import org.grouprelay.keycloak.DirectoryGroups;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.UserMapper;
import org.grouprelay.ops.LdapMetricsInterceptor;
import org.grouprelay.ops.Meters;
import org.grouprelay.ops.OpsHttpServer;
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
import org.grouprelay.targets.seafile.api.ApiSettings;
import org.grouprelay.targets.seafile.api.ApiTarget;
import org.grouprelay.targets.seafile.sql.SqlSettings;
import org.grouprelay.targets.seafile.sql.SqlTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The façade that wires the pipeline from a {@link Config}, in one place, top to bottom:
 * directory → capture → relay → target, then the operations side (metrics, status, HTTP endpoint).
 * Closing it stops everything it started, in reverse; {@link #shutdown} drains the outbox first.
 */
public final class GroupRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupRelay.class);

    private final Config config;
    private final EmbeddedDirectory directory;
    private final Optional<Relay> relay;
    private final Optional<Target> target;
    private final Optional<AuditLog> audit;
    private final Optional<ScheduledCheck> check;
    private final PrometheusMeterRegistry metrics;
    private final StatusProbe status;
    private final Clock clock;
    private Optional<OpsHttpServer> http = Optional.empty();
    private Optional<AdminEventFollower> keycloak = Optional.empty();

    private GroupRelay(Config config, EmbeddedDirectory directory, Optional<Relay> relay, Optional<Target> target,
            Optional<AuditLog> audit, Optional<ScheduledCheck> check, PrometheusMeterRegistry metrics, Clock clock) {
        this.check = check;
        this.config = config;
        this.directory = directory;
        this.relay = relay;
        this.target = target;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.status = StatusProbe.inProcess(config, relay, target, clock);
    }

    public static GroupRelay start(Config config, Environment env, Clock clock) throws Exception {
        PrometheusMeterRegistry metrics = Meters.registry();
        if (config.seafile().isEmpty()) {
            log.warn("no seafile section in the configuration: the directory runs, group changes are not relayed");
            return new GroupRelay(config, EmbeddedDirectory.start(config.directory(), env, clock),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), metrics, clock).startOps();
        }
        SeafileConfig seafile = config.seafile().get();
        Target target = target(seafile, config.directory().dataDir(), clock);
        AuditLog audit = null;
        Relay relay = null;
        ScheduledCheck check = null;
        GroupRelay started;
        try {
            prepare(target);
            audit = new AuditLog(seafile.auditLog());
            relay = new Relay(target, new UserMapper(seafile.users(), target.users()), audit,
                    config.directory().dataDir(), seafile.mode(), seafile.deadline(), clock, metrics);
            HeldReplies replies = new HeldReplies();
            CaptureInterceptor capture = new CaptureInterceptor(membershipRules(config.directory(), seafile), relay, replies);
            EmbeddedDirectory directory = EmbeddedDirectory.start(config.directory(), env, List.of(capture), Optional.of(replies), clock);
            relay.start(capture.groupReader());
            check = new ScheduledCheck(config.check().schedule(), checkService(config, target, clock),
                    new InProcessDirectorySource(directory.service()), delivery(config, clock)::deliver, clock, metrics).start();
            log.info("relaying group changes to {} ({} mode, nested groups: {}, users: {})", target.describe(),
                    seafile.mode().name().toLowerCase(), seafile.nested().name().toLowerCase(), seafile.users());
            started = new GroupRelay(config, directory, Optional.of(relay), Optional.of(target), Optional.of(audit), Optional.of(check),
                    metrics, clock);
        } catch (Exception | Error e) {
            if (check != null) {
                check.close();
            }
            if (relay != null) {
                relay.close();
            }
            target.close();
            if (audit != null) {
                audit.close();
            }
            throw e;
        }
        return started.startOps();
    }

    /**
     * LDAP operation meters first in ApacheDS's chain, then the HTTP endpoint if {@code ops.http.enabled}, then
     * the follower of Keycloak's admin events if there is a {@code keycloak} section.
     */
    private GroupRelay startOps() throws Exception {
        try {
            directory.service().addFirst(new LdapMetricsInterceptor(metrics));
            if (config.ops().http().enabled()) {
                http = Optional.of(OpsHttpServer.start(config.ops().http(), status::report, metrics));
            }
            if (config.keycloak().isPresent()) {
                String placeholder = config.seafile().map(SeafileConfig::placeholderMember).orElse(MembershipRules.KEYCLOAK_PLACEHOLDER);
                keycloak = Optional.of(AdminEventFollower.start(config.keycloak().get(),
                        new DirectoryGroups(directory.service(), config.directory().groupsDn(), placeholder), config.directory().dataDir(), clock));
            }
            return this;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private static ReportDelivery delivery(Config config, Clock clock) {
        return new ReportDelivery(new ReportArchive(config.directory().dataDir()), config.check(), clock);
    }

    /** The target gets ready (link table, credentials); unreachable is a warning, wrong is an error. */
    private static void prepare(Target target) throws TargetException {
        try {
            target.prepare();
        } catch (TargetException e) {
            if (!e.isTransient()) {
                throw e;
            }
            log.warn("{} is not reachable yet ({}); changes will be applied once it is", target.describe(), e.getMessage());
        }
    }

    /** The target {@code seafile.target} names: Seafile's databases, or its admin API (links kept in {@code dataDir}). */
    public static Target target(SeafileConfig seafile, java.nio.file.Path dataDir, Clock clock) {
        if (seafile.target() == SeafileConfig.TargetKind.API) {
            SeafileConfig.Api api = seafile.api().orElseThrow();
            return new ApiTarget(new ApiSettings(api.url(), api.token(), api.username(), api.password(), api.timeout(),
                    api.maxRequestsPerSecond(), api.caFile(), dataDir.resolve(ApiSettings.LINK_FILE)), seafile.groupCreator(),
                    seafile.adopt(), clock);
        }
        return sqlTarget(seafile, clock);
    }

    /** The SQL target for {@code seafile}'s settings. */
    public static SqlTarget sqlTarget(SeafileConfig seafile, Clock clock) {
        SeafileConfig.Sql sql = seafile.sql().orElseThrow();
        return new SqlTarget(new SqlSettings(sql.ccnetUrl(), sql.seahubUrl(), sql.seafileUrl(), sql.user(), sql.password(),
                seafile.deadline()), seafile.groupCreator(), seafile.adopt(), clock);
    }

    /** The consistency check wired from {@code config}, on {@code target}. */
    public static CheckService checkService(Config config, Target target, Clock clock) {
        SeafileConfig seafile = config.seafile().orElseThrow();
        LocalState local = new LocalState(config.directory().dataDir(), seafile.auditLog(), clock);
        return new CheckService(new Checker(membershipRules(config.directory(), seafile), new UserMapper(seafile.users(), target.users()),
                target, local, clock), new Repairer(target, config.check().maxRemovalShare()), local);
    }

    public static MembershipRules membershipRules(DirectoryConfig directory, SeafileConfig seafile) {
        Set<String> attributes = new LinkedHashSet<>(List.of("mail", "uid", "entryUUID"));
        seafile.users().stream().map(MappingRule::attribute).forEach(attributes::add);
        return new MembershipRules(directory.peopleDn(), directory.groupsDn(), seafile.placeholderMember(), seafile.nested(),
                List.copyOf(attributes));
    }

    public Config config() {
        return config;
    }

    public EmbeddedDirectory directory() {
        return directory;
    }

    /** The relay, when a seafile section is configured. */
    public Optional<Relay> relay() {
        return relay;
    }

    /** The scheduled consistency check, when a seafile section is configured. */
    public Optional<ScheduledCheck> check() {
        return check;
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
     * SIGHUP does; other sections need a restart, and the log says so when they differ.
     */
    public void reload(Config fresh) {
        if (check.isEmpty()) {
            log.info("configuration reloaded: nothing to apply (the scheduled check runs only with a seafile section)");
        }
        check.ifPresent(c -> {
            c.reconfigure(fresh.check().schedule(), delivery(fresh, clock)::deliver);
            log.info("configuration reloaded: check.schedule '{}', report e-mail {}", fresh.check().schedule(),
                    fresh.check().email().map(e -> "to " + e.to() + (fresh.check().onlyOnDrift() ? " (only on drift)" : "")).orElse("off"));
        });
        if (!fresh.directory().equals(config.directory()) || !fresh.seafile().equals(config.seafile()) || !fresh.ops().equals(config.ops())
                || !fresh.keycloak().equals(config.keycloak())) {
            log.warn("configuration reloaded: changes outside the check section take effect at the next restart");
        }
    }

    /**
     * Stops as SIGTERM asks: no new LDAP operations (the directory stops first; an operation already
     * answered has its change in the outbox), then up to {@code drain} for queued changes to reach
     * Seafile, then the relay (in-flight attempts finish) and the rest. What does not drain stays in
     * the outbox for the next start.
     */
    public void shutdown(Duration drain) {
        keycloak.ifPresent(AdminEventFollower::close);
        check.ifPresent(ScheduledCheck::close);
        directory.close();
        relay.ifPresent(r -> drain(r, drain));
        closeRelayAndOps();
    }

    private static void drain(Relay relay, Duration bound) {
        int depth = relay.outboxDepth();
        if (depth == 0) {
            return;
        }
        log.info("stopping: up to {} s for {} queued change(s) to reach Seafile", bound.toSeconds(), depth);
        try {
            if (relay.awaitDrained(bound)) {
                log.info("stopping: outbox drained");
            } else {
                log.warn("stopping: {} change(s) stay in the outbox; they are applied first at the next start", relay.outboxDepth());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        keycloak.ifPresent(AdminEventFollower::close);
        check.ifPresent(ScheduledCheck::close);
        directory.close();
        closeRelayAndOps();
    }

    private void closeRelayAndOps() {
        http.ifPresent(OpsHttpServer::close);
        relay.ifPresent(Relay::close);
        target.ifPresent(Target::close);
        audit.ifPresent(AuditLog::close);
        metrics.close();
    }
}
