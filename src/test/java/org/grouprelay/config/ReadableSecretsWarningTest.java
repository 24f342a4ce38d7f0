package org.grouprelay.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A configuration file that holds passwords in clear and that others can read is warned about at load. */
class ReadableSecretsWarningTest {
    static final Environment ENV = new Environment(Map.of("ADMIN_PW", "from-the-environment"));

    @TempDir
    Path dir;
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(ConfigLoader.class);

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    Path config(String adminPassword, String smtpPassword, String permissions) throws IOException {
        Path ldif = Files.writeString(dir.resolve("bootstrap.ldif"), "dn: dc=example,dc=org\n");
        Path file = dir.resolve("grouprelay.yaml");
        Files.writeString(file, """
                directory:
                  suffix: dc=example,dc=org
                  dataDir: ./data
                  bootstrapLdif: %s
                  adminPassword: %s
                  ldap: { host: 127.0.0.1, port: 10389 }
                  peopleDn: ou=people,dc=example,dc=org
                  groupsDn: ou=groups,dc=example,dc=org
                check:
                  report:
                    email:
                      to: [ops@example.org]
                      from: grouprelay@example.org
                      smtp: { host: 127.0.0.1, port: 587, user: grouprelay, password: %s }
                """.formatted(ldif, adminPassword, smtpPassword));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void literalSecretsInAWorldReadableFileAreWarnedAboutWithTheFix() throws IOException {
        Path file = config("cleartext-admin-pw", "cleartext-smtp-pw", "rw-r--r--");
        new ConfigLoader(ENV).load(file);
        assertThat(warnings()).singleElement().satisfies(w -> {
            assertThat(w).contains(file.toString(), "every user", "chmod 600", "directory.adminPassword", "check.report.email.smtp.password");
            assertThat(w).doesNotContain("cleartext-admin-pw", "cleartext-smtp-pw");
        });
    }

    @Test
    void groupReadableIsWarnedAboutToo() throws IOException {
        new ConfigLoader(ENV).load(config("cleartext-admin-pw", "${ADMIN_PW}", "rw-r-----"));
        assertThat(warnings()).singleElement().satisfies(w -> assertThat(w).contains("its group", "directory.adminPassword")
                .doesNotContain("smtp"));
    }

    @Test
    void anOwnerOnlyFileIsNotWarnedAbout() throws IOException {
        new ConfigLoader(ENV).load(config("cleartext-admin-pw", "cleartext-smtp-pw", "rw-------"));
        assertThat(warnings()).isEmpty();
    }

    @Test
    void secretsFromTheEnvironmentAreNotWarnedAbout() throws IOException {
        new ConfigLoader(ENV).load(config("${ADMIN_PW}", "${ADMIN_PW}", "rw-r--r--"));
        assertThat(warnings()).isEmpty();
    }
}
