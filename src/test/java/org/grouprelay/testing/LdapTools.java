package org.grouprelay.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OpenLDAP client binaries ({@code ldap-utils}). Tests that need them are skipped with a message
 * where they are not installed, unless {@code GROUPRELAY_REQUIRE_LDAP_UTILS=1} (set by .ci/run),
 * in which case their absence fails the run.
 */
public final class LdapTools {
    private LdapTools() {
    }

    public static void assumeInstalled() {
        boolean installed = List.of("/usr/bin/ldapmodify", "/usr/bin/ldapsearch").stream().allMatch(p -> Files.isExecutable(Path.of(p)));
        if (!installed && "1".equals(System.getenv("GROUPRELAY_REQUIRE_LDAP_UTILS"))) {
            throw new AssertionError("ldapmodify/ldapsearch are required here but missing: apt-get install -y ldap-utils");
        }
        assumeTrue(installed, "ldap-utils not installed (apt-get install -y ldap-utils) - skipping tests of the real ldapmodify/ldapsearch");
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    private static final Path CONF = conf();

    private static Path conf() {
        try {
            Path file = Files.createTempFile("grouprelay-ldap-", ".conf");
            file.toFile().deleteOnExit();
            return Files.writeString(file, "TLS_REQCERT never\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Result run(Path stdin, String... command) throws Exception {
        Path out = Files.createTempFile("ldaptool-", ".out");
        Path err = Files.createTempFile("ldaptool-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            // the machine's ldap.conf and ldaprc files are not read: only this one (the test directory's certificate is self-signed)
            builder.environment().put("LDAPCONF", CONF.toString());
            builder.environment().put("LDAPRC", "grouprelay-tests-read-no-ldaprc");
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
