package org.grouprelay.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The demo's configuration, written as an operator writes {@code conf/grouprelay.yaml}: the demo serves from it, and
 * {@code check} and {@code status} read it beside the running demo. The demo's fixed passwords are written in, so
 * those commands need no environment; the file is its owner's only (no warning about readable secrets) and goes
 * with the demo's directory on exit.
 *
 * @param home the demo's temporary directory: data, bootstrap LDIF, audit log and this file
 * @param seafileUrls the embedded MariaDB's three databases
 * @param dbUser the account the relay uses in them
 */
record DemoConfigFile(Path home, int ldapPort, SeafileUrls seafileUrls, String dbUser) {
    static final String NAME = "grouprelay.yaml";

    /** JDBC URLs of Seafile's three databases. */
    record SeafileUrls(String ccnet, String seahub, String seafile) {
    }

    Path path() {
        return home.resolve(NAME);
    }

    String yaml() {
        return String.join("\n",
                "# Written by grouprelay serve --demo, which serves from it; deleted when the demo stops.",
                "# Same format as conf/grouprelay.yaml; the demo's passwords are written in.",
                "directory:",
                "  suffix: " + Demo.SUFFIX,
                "  dataDir: " + quote(home.resolve("data")),
                "  bootstrapLdif: " + quote(home.resolve(Demo.LDIF)),
                "  adminPassword: " + Demo.ADMIN_PASSWORD,
                "  ldap: { host: 127.0.0.1, port: " + ldapPort + " }",
                "  peopleDn: ou=people," + Demo.SUFFIX,
                "  groupsDn: ou=groups," + Demo.SUFFIX,
                "seafile:",
                "  target: sql",
                "  mode: relay",
                "  nested: flatten",
                "  sql:",
                "    ccnetUrl: " + seafileUrls.ccnet(),
                "    seahubUrl: " + seafileUrls.seahub(),
                "    seafileUrl: " + seafileUrls.seafile(),
                "    user: " + dbUser,
                "    password: " + Demo.DB_PASSWORD,
                "  users: [ { strategy: email } ]",
                "  groupCreator: admin@example.org",
                "  auditLog: " + quote(home.resolve("audit.jsonl")),
                "");
    }

    /** Writes the file, readable by its owner only, and returns its path. */
    Path write() throws IOException {
        Path file = path();
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // no POSIX permissions here; the directory is a private temporary one
        }
        return Files.writeString(file, yaml());
    }

    /** A YAML single-quoted scalar: nothing in a path is special in it but the quote itself. */
    private static String quote(Path path) {
        return "'" + path.toString().replace("'", "''") + "'";
    }
}
