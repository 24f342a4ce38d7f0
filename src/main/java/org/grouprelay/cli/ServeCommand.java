package org.grouprelay.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code grouprelay serve}: runs the directory (and the relay) until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the LDAP directory and relay group changes until stopped (SIGTERM / Ctrl+C).")
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
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            if (demoSetup != null) {
                demoSetup.delete();
            }
            stopped.countDown();
        }, "grouprelay-shutdown"));
        if (demoSetup != null) {
            spec.commandLine().getOut().println(demoSetup.banner(config));
        }
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
