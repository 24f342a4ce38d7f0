package org.grouprelay.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.GroupRelay;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigException;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.CheckService;
import org.grouprelay.reconcile.LdapDirectorySource;
import org.grouprelay.report.Format;
import org.grouprelay.report.ReportArchive;
import org.grouprelay.report.ReportDelivery;
import org.grouprelay.targets.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay check}: compares the running directory (over LDAP, as uid=admin,ou=system) with
 * Seafile, prints the report, and repairs on request. Runs beside {@code serve}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Compare every managed directory group with its Seafile group; report and optionally repair drift.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:in sync",
            "1:drift found (with --repair: drift found and repaired)",
            "2:error: configuration, directory or database unreachable, repair refused by the guard or incomplete, e-mail failed"})
public final class CheckCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/grouprelay.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, json or html (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(names = "--email", description = "Also e-mail the report (check.report.email).")
    boolean email;

    @Option(names = "--repair", description = "Apply the plan: make Seafile equal the directory.")
    boolean repair;

    @Option(names = "--dry-run", description = "With --repair: print the exact plan and change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "With --repair: apply even a plan the mass-removal guard refuses.")
    boolean force;

    @Option(names = "--group", paramLabel = "NAME", arity = "1..*", description = "Check only these groups (by name).")
    List<String> groups = List.of();

    @Spec
    CommandSpec spec;

    private final Environment env;

    public CheckCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Format reportFormat = parseFormat();
        Config config = new ConfigLoader(env).load(configFile);
        if (config.seafile().isEmpty()) {
            throw new ConfigException("seafile: missing; check compares the directory with the Seafile the seafile section names");
        }
        Clock clock = Clock.systemUTC();
        CheckRun run;
        try (Target target = GroupRelay.target(config.seafile().get(), config.directory().dataDir(), clock);
                LdapDirectorySource source = connect(config)) {
            CheckService service = GroupRelay.checkService(config, target, clock);
            run = service.run(source, new CheckService.Options(new LinkedHashSet<>(groups), repair, dryRun, force));
        }
        String report = reportFormat.render(run);
        if (output == null) {
            spec.commandLine().getOut().print(report);
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(output, report);
        }
        int exit = exitCode(run);
        if (email) {
            ReportDelivery.Outcome delivered = new ReportDelivery(new ReportArchive(config.directory().dataDir()), config.check(), clock)
                    .deliver(run);
            if (delivered.mail() == ReportDelivery.MailStatus.NOT_CONFIGURED) {
                throw new ConfigException("check.report.email: missing; --email needs the SMTP settings");
            }
            if (!delivered.ok()) {
                spec.commandLine().getErr().println("grouprelay: " + delivered.mailError().or(delivered::archiveError).orElse("report delivery failed")
                        + delivered.files().values().stream().findFirst().map(p -> " (the report is in " + p.getParent() + ")").orElse(""));
                return ExitCodes.USAGE_OR_CONFIG;
            }
        }
        return exit;
    }

    private int exitCode(CheckRun run) {
        if (run.refused().isPresent()) {
            spec.commandLine().getErr().println("grouprelay: repair refused: " + run.refused().get());
            return ExitCodes.USAGE_OR_CONFIG;
        }
        if (run.repair().isPresent() && !run.repair().get().failures().isEmpty()) {
            spec.commandLine().getErr().println("grouprelay: repair incomplete: " + run.repair().get().failures().size() + " action(s) failed");
            return ExitCodes.USAGE_OR_CONFIG;
        }
        if (run.plan().inSync()) {
            return ExitCodes.OK;
        }
        if (run.repair().isPresent()) {
            spec.commandLine().getErr().println("grouprelay: drift found and repaired");
        }
        return ExitCodes.DRIFT;
    }

    private Format parseFormat() {
        try {
            return Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format: '" + format + "' is not one of text, json, html");
        }
    }

    private static LdapDirectorySource connect(Config config) {
        try {
            return new LdapDirectorySource(config.directory());
        } catch (LdapException e) {
            throw new OperatorException("cannot read the directory at ldap://" + config.directory().ldap()
                    + " as uid=admin,ou=system (is grouprelay serve running?): " + e.getMessage(), e);
        }
    }
}
