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

    public static Result run(Path stdin, String... command) throws Exception {
        Path out = Files.createTempFile("ldaptool-", ".out");
        Path err = Files.createTempFile("ldaptool-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command)))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            builder.environment().put("LDAPNOINIT", "1");
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
