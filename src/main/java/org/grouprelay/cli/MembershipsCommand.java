package org.grouprelay.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.expiry.Listing;
import org.grouprelay.expiry.MembershipReader;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.reconcile.LdapDirectorySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay memberships}: the direct memberships of the managed groups with their ends, read from the running
 * directory over LDAP (as uid=admin,ou=system), for scripts and monitoring.
 */
@Command(name = "memberships", mixinStandardHelpOptions = true,
        description = "List group memberships with their end (grouprelayMemberExpiry), those ending first.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:listed",
            "2:error: configuration, or the directory unreachable"})
public final class MembershipsCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/grouprelay.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--expiring", paramLabel = "DAYS", description = "Only memberships ending within DAYS days (and those over but not yet removed).")
    Integer expiring;

    @Option(names = "--group", paramLabel = "NAME", arity = "1..*", description = "Only these groups (by name).")
    List<String> groups = List.of();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public MembershipsCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format: '" + format + "' is not one of text, json");
        }
        if (expiring != null && expiring < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--expiring: '" + expiring + "' is not a number of days (0 or more)");
        }
        Config config = new ConfigLoader(env).load(configFile);
        String placeholder = config.targets().stream().findFirst().map(t -> t.settings().placeholderMember())
                .orElse(MembershipRules.KEYCLOAK_PLACEHOLDER);
        MembershipReader reader = new MembershipReader(config.directory().groupsDn(), placeholder);
        Listing listing;
        try (LdapDirectorySource source = new LdapDirectorySource(config.directory())) {
            listing = Listing.of(reader.read(source, expiring == null ? MembershipReader.ALL : MembershipReader.EXPIRING,
                    new LinkedHashSet<>(groups)), Clock.systemUTC().instant(), Optional.ofNullable(expiring));
        } catch (LdapException e) {
            throw new OperatorException("cannot read the directory at ldap://" + config.directory().ldap()
                    + " as uid=admin,ou=system (is grouprelay serve running?): " + e.getMessage(), e);
        }
        spec.commandLine().getOut().print(format.equals("json") ? listing.json() : listing.text());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
