package org.grouprelay.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.ArrayList;
import java.util.List;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.targets.Targets;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.ops.StatusProbe;
import org.grouprelay.ops.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay status}: is the running service healthy, and how far behind is it? Runs beside
 * {@code serve} with the same configuration file: binds to the directory over LDAP, asks Seafile's
 * database one cheap query, and reads the outbox, pending members, last check and audit log in
 * {@code dataDir} (read only).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Directory, and per target: whether it answers, outbox backlog, pending members, last check and last error; exit 1 when unhealthy.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:healthy",
            "1:unhealthy: the directory or a target does not answer, or an outbox is stuck (the output says which)",
            "2:error: configuration, or dataDir unreadable"})
public final class StatusCommand implements Callable<Integer> {
    static final int UNHEALTHY = 1;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/grouprelay.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--json", description = "Print the report as JSON (schema: org.grouprelay.ops.StatusReport).")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public StatusCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Config config = new ConfigLoader(env).load(configFile);
        Clock clock = Clock.systemUTC();
        List<StatusProbe.Source> sources = new ArrayList<>();
        StatusReport report;
        try {
            for (TargetConfig target : config.targets()) {
                sources.add(new StatusProbe.Source(target, Optional.empty(), Targets.open(target, config.directory().dataDir(), clock)));
            }
            report = StatusProbe.of(config, sources, clock).report();
        } finally {
            sources.forEach(s -> s.target().close());
        }
        spec.commandLine().getOut().print(json ? report.toJson() : report.toText());
        spec.commandLine().getOut().flush();
        return report.healthy() ? ExitCodes.OK : UNHEALTHY;
    }
}
