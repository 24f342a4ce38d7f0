package org.grouprelay.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP {@code slapd} (Debian's {@code slapd} package) with its own configuration and MDB
 * database in a temporary directory, on a free loopback port: the foreign directory that users move
 * from. Skipped where slapd is not installed, unless {@code GROUPRELAY_REQUIRE_LDAP_UTILS=1} (.ci/run
 * installs it), then its absence fails the run.
 */
public final class Slapd implements AutoCloseable {
    public static final String SUFFIX = "dc=example,dc=com";
    public static final String ROOT_DN = "cn=admin," + SUFFIX;
    public static final String ROOT_PASSWORD = "slapd-root-password";
    private static final Path SLAPD = Path.of("/usr/sbin/slapd");

    private final Path home;
    private final int port;
    private final Process process;

    private Slapd(Path home, int port, Process process) {
        this.home = home;
        this.port = port;
        this.process = process;
    }

    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(SLAPD) && Files.isExecutable(Path.of("/usr/sbin/slapcat"));
        if (!installed && "1".equals(System.getenv("GROUPRELAY_REQUIRE_LDAP_UTILS"))) {
            throw new AssertionError("slapd is required here but missing: apt-get install -y slapd");
        }
        assumeTrue(installed, "slapd not installed (apt-get install -y slapd) - skipping the import from OpenLDAP");
    }

    /** Starts slapd with the core, cosine, nis and inetOrgPerson schemas and an empty database for {@link #SUFFIX}. */
    public static Slapd start(Path home) throws Exception {
        assumeInstalled();
        LdapTools.assumeInstalled();
        Files.createDirectories(home.resolve("db"));
        Path conf = home.resolve("slapd.conf");
        Files.writeString(conf, String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "include /etc/ldap/schema/cosine.schema",
                "include /etc/ldap/schema/nis.schema",
                "include /etc/ldap/schema/inetorgperson.schema",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "pidfile " + home.resolve("slapd.pid"),
                "database mdb",
                "suffix \"" + SUFFIX + "\"",
                "rootdn \"" + ROOT_DN + "\"",
                "rootpw " + ROOT_PASSWORD,
                "directory " + home.resolve("db"),
                "maxsize 104857600",
                ""));
        int port = TestDirectory.freePort();
        Process process = new ProcessBuilder(SLAPD.toString(), "-f", conf.toString(), "-h", "ldap://127.0.0.1:" + port + "/", "-d", "0")
                .redirectErrorStream(true).redirectOutput(home.resolve("slapd.log").toFile()).start();
        Slapd slapd = new Slapd(home, port, process);
        try {
            Waits.until(Duration.ofSeconds(30), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("slapd stopped: " + Files.readString(home.resolve("slapd.log")));
                }
                try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", port, ROOT_DN, ROOT_PASSWORD)) {
                    return ldap.isConnected();
                }
            });
        } catch (Exception | Error e) {
            slapd.close();
            throw e;
        }
        return slapd;
    }

    /** Adds entries with OpenLDAP's own {@code ldapadd}, as its admins do. */
    public void add(String ldif) throws Exception {
        Path file = home.resolve("add.ldif");
        Files.writeString(file, ldif);
        LdapTools.Result result = LdapTools.run(null, "/usr/bin/ldapadd", "-x", "-H", url(), "-D", ROOT_DN, "-w", ROOT_PASSWORD,
                "-f", file.toString());
        if (result.exitCode() != 0) {
            throw new AssertionError("ldapadd failed: " + result.stderr() + result.stdout());
        }
    }

    /** The database as {@code slapcat} writes it (the usual OpenLDAP backup). */
    public String slapcat() throws Exception {
        Process cat = new ProcessBuilder("/usr/sbin/slapcat", "-f", home.resolve("slapd.conf").toString())
                .redirectError(home.resolve("slapcat.err").toFile()).start();
        byte[] out = cat.getInputStream().readAllBytes();
        if (!cat.waitFor(60, TimeUnit.SECONDS) || cat.exitValue() != 0) {
            throw new AssertionError("slapcat failed: " + Files.readString(home.resolve("slapcat.err")));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A password hash made by OpenLDAP's {@code slappasswd}, e.g. scheme {SSHA} or {CRYPT} with a crypt salt format. */
    public static String hash(String password, String scheme, String cryptSaltFormat) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/sbin/slappasswd", "-h", scheme, "-s", password));
        if (cryptSaltFormat != null) {
            command.addAll(List.of("-c", cryptSaltFormat));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("slappasswd failed: " + out);
        }
        return out;
    }

    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TempFiles.deleteRecursively(home);
    }
}
