package org.grouprelay;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.directory.server.core.api.interceptor.Interceptor;
import org.grouprelay.capture.CaptureInterceptor;
import org.grouprelay.capture.CaptureSettings;
import org.grouprelay.config.Config;
import org.grouprelay.config.DirectoryConfig;
import org.grouprelay.config.Environment;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.directory.EmbeddedDirectory;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.UserMapper;
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
import org.grouprelay.target.Target;
import org.grouprelay.target.TargetException;
import org.grouprelay.target.seafile.sql.SqlSettings;
import org.grouprelay.target.seafile.sql.SqlTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The façade that wires the pipeline from a {@link Config}, in one place, top to bottom:
 * directory → capture → relay → target. Closing it stops everything it started, in reverse.
 */
public final class GroupRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupRelay.class);

    private final Config config;
    private final EmbeddedDirectory directory;
    private final Optional<Relay> relay;
    private final Optional<SqlTarget> target;
    private final Optional<AuditLog> audit;
    private final Optional<ScheduledCheck> check;

    private GroupRelay(Config config, EmbeddedDirectory directory, Optional<Relay> relay, Optional<SqlTarget> target,
            Optional<AuditLog> audit, Optional<ScheduledCheck> check) {
        this.check = check;
        this.config = config;
        this.directory = directory;
        this.relay = relay;
        this.target = target;
        this.audit = audit;
    }

    public static GroupRelay start(Config config, Environment env, Clock clock) throws Exception {
        if (config.seafile().isEmpty()) {
            log.warn("no seafile section in the configuration: the directory runs, group changes are not relayed");
            return new GroupRelay(config, EmbeddedDirectory.start(config.directory(), env, List.of(), clock),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        SeafileConfig seafile = config.seafile().get();
        SqlTarget target = sqlTarget(seafile, clock);
        AuditLog audit = null;
        Relay relay = null;
        ScheduledCheck check = null;
        try {
            prepare(target);
            audit = new AuditLog(seafile.auditLog());
            relay = new Relay(target, new UserMapper(seafile.users(), target.users()), audit,
                    config.directory().dataDir(), seafile.mode(), seafile.deadline(), clock);
            Interceptor capture = new CaptureInterceptor(captureSettings(config.directory(), seafile), relay);
            EmbeddedDirectory directory = EmbeddedDirectory.start(config.directory(), env, List.of(capture), clock);
            relay.start();
            ReportDelivery delivery = new ReportDelivery(new ReportArchive(config.directory().dataDir()), config.check(), clock);
            check = new ScheduledCheck(config.check().schedule(), checkService(config, target, clock),
                    new InProcessDirectorySource(directory.service()), delivery::deliver, clock).start();
            log.info("relaying group changes to {} ({} mode, nested groups: {}, users: {})", target.describe(),
                    seafile.mode().name().toLowerCase(), seafile.nested().name().toLowerCase(), seafile.users());
            return new GroupRelay(config, directory, Optional.of(relay), Optional.of(target), Optional.of(audit), Optional.of(check));
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
    }

    private static void prepare(SqlTarget target) throws TargetException {
        try {
            target.prepareSchema();
        } catch (TargetException e) {
            if (!e.isTransient()) {
                throw e;
            }
            log.warn("Seafile's database is not reachable yet ({}); changes will be applied once it is", e.getMessage());
        }
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
        return new CheckService(new Checker(captureSettings(config.directory(), seafile), new UserMapper(seafile.users(), target.users()),
                target, local, clock), new Repairer(target, config.check().maxRemovalShare()), local);
    }

    public static CaptureSettings captureSettings(DirectoryConfig directory, SeafileConfig seafile) {
        Set<String> attributes = new LinkedHashSet<>(List.of("mail", "uid", "entryUUID"));
        seafile.users().stream().map(MappingRule::attribute).forEach(attributes::add);
        return new CaptureSettings(directory.peopleDn(), directory.groupsDn(), seafile.placeholderMember(), seafile.nested(),
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

    @Override
    public void close() {
        check.ifPresent(ScheduledCheck::close);
        directory.close();
        relay.ifPresent(Relay::close);
        target.ifPresent(SqlTarget::close);
        audit.ifPresent(AuditLog::close);
    }
}
