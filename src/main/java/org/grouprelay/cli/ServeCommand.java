package org.grouprelay.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigException;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.ops.ReloadOnHangup;
import org.grouprelay.ops.ReloadWatcher;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay serve}: runs the directory (and the relay) until SIGTERM or SIGINT, which stop
 * LDAP, drain the outbox for at most {@code ops.drainSeconds} and close. SIGHUP, or {@code grouprelay reload}
 * through the data directory ({@link ReloadWatcher}), re-reads the configuration file's {@code check} section.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the LDAP directory and relay group changes until stopped (SIGTERM / Ctrl+C).",
            "SIGTERM drains queued changes for at most ops.drainSeconds (default 10) before stopping;",
            "SIGHUP, or grouprelay reload, re-reads the check section (schedule, report e-mail) of the configuration file."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: ${DEFAULT-VALUE}).",
            defaultValue = "conf/grouprelay.yaml")
    Path configFile;

    @Option(names = "--demo", description = "Zero-configuration demo: embedded defaults and demo data in a temporary directory.")
    boolean demo;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public ServeCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Demo demoSetup = demo ? Demo.create() : null;
        Environment effective = demo ? demoSetup.environment(env) : env;
        Config config;
        GroupRelay relay;
        try {
            if (demoSetup != null) {
                demoSetup.startSeafile();
            }
            config = demo ? demoSetup.config() : new ConfigLoader(effective).load(configFile);
            relay = GroupRelay.start(config, effective, Clock.systemUTC());
        } catch (Exception e) {
            if (demoSetup != null) {
                demoSetup.delete();
            }
            throw e;
        }
        Optional<ReloadWatcher> requests = demo ? Optional.empty() : watchReloadRequests(config, relay, effective);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            requests.ifPresent(ReloadWatcher::close);
            relay.shutdown(config.ops().drain());
            if (demoSetup != null) {
                demoSetup.delete();
            }
            stopped.countDown();
        }, "grouprelay-shutdown"));
        if (demoSetup != null) {
            spec.commandLine().getOut().println(demoSetup.banner(config));
        } else {
            ReloadOnHangup.install(() -> reload(relay, effective), configFile.toAbsolutePath().normalize());
        }
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** {@code grouprelay reload}'s requests in {@code dataDir/reload}; without them SIGHUP still reloads, so not a reason to stop. */
    private Optional<ReloadWatcher> watchReloadRequests(Config config, GroupRelay relay, Environment effective) {
        try {
            return Optional.of(ReloadWatcher.start(config.directory().dataDir(), configFile.toAbsolutePath().normalize(),
                    () -> reload(relay, effective), Clock.systemUTC()));
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ServeCommand.class).warn("grouprelay reload will get no answer: {} cannot be used ({})",
                    config.directory().dataDir().resolve("reload"), ExitCodes.describe(e));
            return Optional.empty();
        }
    }

    /** SIGHUP or {@code grouprelay reload}, one at a time: a file that does not load leaves the running settings as they are. */
    private synchronized ReloadWatcher.Outcome reload(GroupRelay relay, Environment effective) {
        try {
            return ReloadWatcher.Outcome.applied(relay.reload(new ConfigLoader(effective).load(configFile)));
        } catch (ConfigException e) {
            LoggerFactory.getLogger(ServeCommand.class).error("configuration not reloaded, the running settings stay: {}", e.getMessage());
            return ReloadWatcher.Outcome.refused(e.getMessage());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ServeCommand.class).error("configuration not reloaded: {}", ExitCodes.describe(e));
            return ReloadWatcher.Outcome.refused(ExitCodes.describe(e));
        }
    }
}
