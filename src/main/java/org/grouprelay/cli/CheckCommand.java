package org.grouprelay.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.targets.Targets;
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
 * every target (or those {@code --target} names), prints the reports, and repairs on request. Runs beside {@code serve}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Compare every managed directory group with its group in each target; report and optionally repair drift.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:in sync",
            "1:drift found (with --repair: drift found and repaired)",
            "2:error: configuration, directory or a target unreachable, repair refused by the guard or incomplete, e-mail failed"})
public final class CheckCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/grouprelay.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, json or html (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path output;

    @Option(names = "--email", description = "Also e-mail the report (check.report.email).")
    boolean email;

    @Option(names = "--repair", description = "Apply the plan: make each target equal the directory.")
    boolean repair;

    @Option(names = "--dry-run", description = "With --repair: print the exact plan and change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "With --repair: apply even a plan the mass-removal guard refuses.")
    boolean force;

    @Option(names = "--group", paramLabel = "NAME", arity = "1..*", description = "Check only these groups (by name).")
    List<String> groups = List.of();

    @Option(names = "--target", paramLabel = "NAME", arity = "1..*", description = "Check only these targets (by name; default: every target).")
    List<String> targetNames = List.of();

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
        if (config.targets().isEmpty()) {
            throw new ConfigException("targets: missing; check compares the directory with the targets the seafile or targets section names");
        }
        List<TargetConfig> chosen = chosen(config);
        Clock clock = Clock.systemUTC();
        Map<TargetConfig, CheckRun> runs = new LinkedHashMap<>();
        try (LdapDirectorySource source = connect(config)) {
            for (TargetConfig target : chosen) {
                try (Target client = Targets.open(target, config.directory().dataDir(), clock)) {
                    CheckService service = GroupRelay.checkService(config, target, client, clock);
                    runs.put(target, service.run(source, new CheckService.Options(new LinkedHashSet<>(groups), repair, dryRun, force)));
                } catch (OperatorException e) {
                    throw e;
                } catch (Exception e) {
                    if (chosen.size() == 1) {
                        throw e;
                    }
                    throw new OperatorException("target " + target.name() + ": " + e.getMessage(), e);
                }
            }
        }
        String report = render(reportFormat, runs);
        if (output == null) {
            spec.commandLine().getOut().print(report);
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(output, report);
        }
        int exit = ExitCodes.OK;
        for (Map.Entry<TargetConfig, CheckRun> run : runs.entrySet()) {
            exit = Math.max(exit, exitCode(run.getValue(), runs.size() == 1 ? "" : "target " + run.getKey().name() + ": "));
        }
        if (email) {
            for (Map.Entry<TargetConfig, CheckRun> run : runs.entrySet()) {
                ReportDelivery.Outcome delivered = new ReportDelivery(new ReportArchive(run.getKey().stateDir(config.directory().dataDir())),
                        config.check(), clock).deliver(run.getValue());
                if (delivered.mail() == ReportDelivery.MailStatus.NOT_CONFIGURED) {
                    throw new ConfigException("check.report.email: missing; --email needs the SMTP settings");
                }
                if (!delivered.ok()) {
                    spec.commandLine().getErr().println("grouprelay: " + delivered.mailError().or(delivered::archiveError).orElse("report delivery failed")
                            + delivered.files().values().stream().findFirst().map(p -> " (the report is in " + p.getParent() + ")").orElse(""));
                    return ExitCodes.USAGE_OR_CONFIG;
                }
            }
        }
        return exit;
    }

    /** The targets {@code --target} names (all when it is not given); an unknown name is a usage error that lists the known ones. */
    private List<TargetConfig> chosen(Config config) {
        if (targetNames.isEmpty()) {
            return config.targets();
        }
        List<TargetConfig> chosen = new ArrayList<>();
        for (String name : new LinkedHashSet<>(targetNames)) {
            chosen.add(config.target(name).orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(), "--target: '" + name
                    + "' is not a target of " + configFile + "; it has " + String.join(", ", config.targets().stream().map(TargetConfig::name).toList()))));
        }
        return chosen;
    }

    /**
     * One target: its report as it always was. Several: text and HTML reports one after the other, each under a line naming
     * its target; JSON as {@code {"targets": [{"target": name, "kind": kind, "report": {...}}]}}.
     */
    private static String render(Format format, Map<TargetConfig, CheckRun> runs) throws java.io.IOException {
        if (runs.size() == 1) {
            return format.render(runs.values().iterator().next());
        }
        if (format == Format.JSON) {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode root = json.createObjectNode();
            com.fasterxml.jackson.databind.node.ArrayNode list = root.putArray("targets");
            for (Map.Entry<TargetConfig, CheckRun> run : runs.entrySet()) {
                list.addObject().put("target", run.getKey().name()).put("kind", run.getKey().settings().kind())
                        .set("report", json.readTree(format.render(run.getValue())));
            }
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        }
        StringBuilder all = new StringBuilder();
        for (Map.Entry<TargetConfig, CheckRun> run : runs.entrySet()) {
            String heading = "target " + run.getKey().name() + " (" + run.getKey().settings().kind() + ")";
            all.append(format == Format.HTML ? "<!-- " + heading + " -->\n" : "== " + heading + " ==\n").append(format.render(run.getValue()));
            if (format == Format.TEXT) {
                all.append('\n');
            }
        }
        return all.toString();
    }

    private int exitCode(CheckRun run, String target) {
        if (run.refused().isPresent()) {
            spec.commandLine().getErr().println("grouprelay: " + target + "repair refused: " + run.refused().get());
            return ExitCodes.USAGE_OR_CONFIG;
        }
        if (run.repair().isPresent() && !run.repair().get().failures().isEmpty()) {
            spec.commandLine().getErr().println("grouprelay: " + target + "repair incomplete: " + run.repair().get().failures().size() + " action(s) failed");
            return ExitCodes.USAGE_OR_CONFIG;
        }
        if (run.plan().inSync()) {
            return ExitCodes.OK;
        }
        if (run.repair().isPresent()) {
            spec.commandLine().getErr().println("grouprelay: " + target + "drift found and repaired");
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
