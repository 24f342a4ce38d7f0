package org.grouprelay.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.ldap.client.api.LdapNetworkConnection;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.transfer.ImportApplier;
import org.grouprelay.transfer.ImportPlan;
import org.grouprelay.transfer.ImportPlanner;
import org.grouprelay.transfer.LdifRecords;
import org.grouprelay.transfer.RunningOrLocal;
import org.grouprelay.transfer.ServerSchema;
import org.grouprelay.transfer.TransferException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay import}: loads an LDIF file (grouprelay's export, OpenLDAP's {@code slapcat} or
 * {@code ldapsearch}, 389-ds's {@code db2ldif}) into the running directory through the relay.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Load an LDIF file into the running directory, through the relay (targets get the groups):",
            "the file's suffix becomes directory.suffix, entryUUIDs and password hashes are kept, posixGroup and",
            "groupOfUniqueNames groups become groupOfNames. Adds and updates; never deletes. Running it twice changes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:imported (or, with --dry-run, nothing would be left out)",
            "1:imported, but something was left out (each is listed with its reason)",
            "2:error: configuration, unreadable file (the line is named), directory not running"})
public final class ImportCommand implements Callable<Integer> {
    static final int SKIPPED = 1;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/grouprelay.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Parameters(paramLabel = "FILE", description = "The LDIF file to import.")
    Path file;

    @Option(names = "--dry-run", description = "Print what would be created, changed and left out, and why; write nothing.")
    boolean dryRun;

    @Option(names = "--from-suffix", paramLabel = "DN", description = "The suffix the file was written under (default: its top entry).")
    String fromSuffix;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public ImportCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Config config = new ConfigLoader(env).load(configFile);
        List<LdifRecords.Record> records;
        try {
            records = LdifRecords.parse(read(file));
        } catch (LdifRecords.LdifException e) {
            throw new TransferException(file + ": " + e.getMessage(), e);
        }
        String placeholder = config.targets().stream().map(t -> t.settings().placeholderMember()).findFirst()
                .orElse(MembershipRules.KEYCLOAK_PLACEHOLDER);
        var out = spec.commandLine().getOut();
        ImportPlan plan;
        ImportApplier.Result result;
        try (LdapNetworkConnection connection = RunningOrLocal.running(config.directory())) {
            SchemaManager schema = ServerSchema.of(connection);
            try {
                plan = new ImportPlanner(schema, config.directory().suffix(), placeholder).plan(records, Optional.ofNullable(fromSuffix));
            } catch (LdifRecords.LdifException e) {
                throw new TransferException(file + ": " + e.getMessage(), e);
            }
            result = new ImportApplier(schema, connection, dryRun, config.directory().peopleDn()).apply(plan, out::println);
        }
        if (!plan.droppedOperational().isEmpty()) {
            out.println("note    operational attributes the directory sets itself were not imported: "
                    + String.join(", ", plan.droppedOperational()));
        }
        out.println((dryRun ? "dry run, nothing written: would create " : "imported: created ") + result.created() + ", "
                + (dryRun ? "change " : "changed ") + result.changed() + ", unchanged " + result.unchanged() + ", left out (in part or whole) "
                + result.skipped() + "; " + records.size() + " entries in " + file + ", " + plan.fromSuffix() + " -> " + plan.toSuffix());
        out.flush();
        return result.skipped() > 0 ? SKIPPED : ExitCodes.OK;
    }

    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new TransferException(file + ": not UTF-8 text; LDIF writes other bytes in base64 (attribute:: value)");
        } catch (IOException e) {
            throw new TransferException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
