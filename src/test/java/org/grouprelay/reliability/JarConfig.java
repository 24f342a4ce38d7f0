package org.grouprelay.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/** A grouprelay.yaml for the jar run as a process (relay mode, deadline 1 s), and starting it. */
final class JarConfig {
    private JarConfig() {
    }

    static String yaml(Path work, int port, TestSeafile seafile, String creator) {
        EmbeddedSeafileDb db = seafile.db();
        return """
                directory:
                  suffix: dc=example,dc=org
                  dataDir: %s
                  bootstrapLdif: %s
                  adminPassword: ${GROUPRELAY_ADMIN_PASSWORD}
                  ldap: { host: 127.0.0.1, port: %d }
                  peopleDn: ou=people,dc=example,dc=org
                  groupsDn: ou=groups,dc=example,dc=org
                seafile:
                  target: sql
                  mode: relay
                  sql:
                    ccnetUrl: %s
                    seahubUrl: %s
                    seafileUrl: %s
                    user: %s
                    password: ${SEAFILE_DB_PASSWORD}
                  users:
                    - { strategy: email }
                  groupCreator: %s
                  deadlineMillis: 1000
                """.formatted(quote(work.resolve("data")), quote(TestDirectory.projectFile("ldif/bootstrap.ldif")), port,
                db.jdbcUrl(EmbeddedSeafileDb.CCNET), db.jdbcUrl(EmbeddedSeafileDb.SEAHUB), db.jdbcUrl(EmbeddedSeafileDb.SEAFILE),
                EmbeddedSeafileDb.USER, creator);
    }

    static String quote(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    /** {@code serve --config grouprelay.yaml} in {@code work}, once it listens. */
    static JarProcess start(Path work, Map<String, String> env) throws Exception {
        JarProcess process = JarProcess.start(work, env, "serve", "--config", "grouprelay.yaml");
        try {
            process.awaitOutput("listening on", Duration.ofSeconds(90));
        } catch (Throwable e) {
            process.close();
            throw e;
        }
        return process;
    }
}
