package org.grouprelay.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.grouprelay.config.Config;
import org.grouprelay.config.ConfigLoader;
import org.grouprelay.config.Environment;
import org.grouprelay.transfer.DirectoryExport;
import org.grouprelay.transfer.RunningOrLocal;
import org.grouprelay.transfer.ServerSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code grouprelay export}: the directory as LDIF, from the running {@code serve} over LDAP (writes
 * wait while it is read, so the file is one point in time) or, when none answers, from {@code dataDir}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the directory as LDIF (entryUUIDs and password hashes included, parents first):",
            "from the running serve, or from directory.dataDir when serve is stopped."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:exported", "2:error: configuration, directory unreachable or locked, file not writable"})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/grouprelay.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--output", paramLabel = "FILE|-", defaultValue = "-", description = "Where to write the LDIF (default: standard output).")
    String output;

    @Option(names = "--base", paramLabel = "DN", description = "Export only this subtree (default: directory.suffix).")
    String base;

    @Spec
    CommandSpec spec;

    private final Environment env;

    public ExportCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Config config = new ConfigLoader(env).load(configFile);
        String from = base == null ? config.directory().suffix() : base;
        DirectoryExport export;
        List<Entry> entries;
        String source;
        try (RunningOrLocal directory = RunningOrLocal.open(config.directory(), env, Clock.systemUTC())) {
            export = new DirectoryExport(ServerSchema.of(directory.connection()));
            entries = export.read(directory.connection(), from);
            source = directory.description();
        }
        List<String> header = List.of("grouprelay export of " + from, "from " + source + " at " + Instant.now(),
                entries.size() + " entries; import with: grouprelay import --config FILE THIS-FILE");
        if (output.equals("-")) {
            // LDIF is ASCII (other text is written in base64), whatever the platform's encoding
            export.write(entries, header, spec.commandLine().getOut());
        } else {
            write(export, entries, header, Path.of(output));
        }
        spec.commandLine().getErr().println("grouprelay: exported " + entries.size() + " entries under " + from + " from " + source
                + (output.equals("-") ? "" : " to " + output));
        spec.commandLine().getErr().flush();
        return ExitCodes.OK;
    }

    /** Into a temporary file beside {@code file}, readable by its owner only (password hashes), then moved over it. */
    private static void write(DirectoryExport export, List<Entry> entries, List<String> header, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its defaults apply
            }
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                export.write(entries, header, out);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
