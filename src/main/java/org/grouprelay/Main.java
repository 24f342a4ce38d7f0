package org.grouprelay;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import org.grouprelay.cli.CheckCommand;
import org.grouprelay.cli.ExitCodes;
import org.grouprelay.cli.ExportCommand;
import org.grouprelay.cli.MembershipsCommand;
import org.grouprelay.cli.ImportCommand;
import org.grouprelay.cli.KeycloakSetupCommand;
import org.grouprelay.cli.ReloadCommand;
import org.grouprelay.cli.ServeCommand;
import org.grouprelay.cli.StatusCommand;
import org.grouprelay.cli.UsageException;
import org.grouprelay.config.ConfigException;
import org.grouprelay.config.Environment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Command-line entry point. Exit codes are listed in {@link ExitCodes} and docs/operations.md. */
@Command(name = "grouprelay",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "An LDAP directory for Keycloak that relays group membership into Seafile, synchronously.",
        subcommands = {ServeCommand.class, CheckCommand.class, StatusCommand.class, ReloadCommand.class, MembershipsCommand.class,
            KeycloakSetupCommand.class, ExportCommand.class, ImportCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (serve: stopped cleanly; check: in sync; status: healthy; reload: reloaded)",
            "1:check: drift found (or found and repaired); status: unhealthy",
            "2:usage or configuration error (the message names the option or key); check, status, memberships: any error;"
                + " reload: the configuration did not load (the running settings stay)",
            "3:serve: runtime failure (e.g. the LDAP port is in use); reload: no serve runs with that dataDir, or none answered"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, Environment.system(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with an injected environment and streams; returns the exit code. */
    public static int execute(String[] args, Environment env, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main(), new Factory(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(ExitCodes::of);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean serve = commandLine.getCommand() instanceof ServeCommand;
            String prefix = e instanceof ConfigException || e instanceof UsageException || !serve ? "" : "cannot start: ";
            commandLine.getErr().println("grouprelay: " + prefix + ExitCodes.describe(e));
            if (!(e instanceof ConfigException)) {
                org.slf4j.LoggerFactory.getLogger(Main.class).debug("failure", e);
            }
            return serve ? ExitCodes.of(e) : ExitCodes.USAGE_OR_CONFIG;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds subcommands with the injected environment (constructor injection, no globals). */
    private record Factory(Environment env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ServeCommand.class) {
                return type.cast(new ServeCommand(env));
            }
            if (type == CheckCommand.class) {
                return type.cast(new CheckCommand(env));
            }
            if (type == StatusCommand.class) {
                return type.cast(new StatusCommand(env));
            }
            if (type == ReloadCommand.class) {
                return type.cast(new ReloadCommand(env));
            }
            if (type == MembershipsCommand.class) {
                return type.cast(new MembershipsCommand(env));
            }
            if (type == ExportCommand.class) {
                return type.cast(new ExportCommand(env));
            }
            if (type == ImportCommand.class) {
                return type.cast(new ImportCommand(env));
            }
            if (type == KeycloakSetupCommand.class) {
                return type.cast(new KeycloakSetupCommand(env));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    /** The version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/grouprelay-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"grouprelay " + properties.getProperty("version", "unknown"),
                "ApacheDS 2.0.0.AM27, Java " + System.getProperty("java.version")};
        }
    }
}
