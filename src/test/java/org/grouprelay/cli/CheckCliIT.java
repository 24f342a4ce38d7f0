package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.RelayedDirectory;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code grouprelay check} as operators run it: the jar in its own process, beside a running directory. */
class CheckCliIT {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @RegisterExtension
    static final RelayedDirectory SETUP = RelayedDirectory.of(List.of("alice", "bob", "carol"), List.of("alice", "bob", "carol"),
            Relaying.relayMode());
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        try (LDAPConnection ldap = SETUP.directory().admin()) {
            LdapFixtures.createGroup(ldap, "cli-team", "alice", "bob");
        }
        config = SETUP.writeConfig("check.yaml", SETUP.configYaml().section("""
                check:
                  report:
                    email:
                      to: [ops@example.org]
                      from: grouprelay@example.org
                      smtp: { host: 127.0.0.1, port: %d, starttls: false }
                """.formatted(SMTP.getSmtp().getPort())));
    }

    static JarProcess.Result check(String... args) throws Exception {
        return SETUP.run(config, "check", args);
    }

    static long groupId() {
        return ((Number) SETUP.seafile().query(EmbeddedSeafileDb.CCNET, "SELECT group_id FROM `Group` WHERE group_name = 'cli-team'")
                .get(0).get("group_id")).longValue();
    }

    @Test
    void driftIsReportedInEveryFormatRepairedAndThenInSync() throws Exception {
        JarProcess.Result clean = check("--group", "cli-team");
        assertThat(clean.exitCode()).as(clean.output()).isZero();

        SETUP.seafile().update(EmbeddedSeafileDb.CCNET, "DELETE FROM GroupUser WHERE group_id = ? AND user_name = 'bob@example.org'", groupId());
        JarProcess.Result text = check("--group", "cli-team");
        assertThat(text.exitCode()).as(text.output()).isEqualTo(1);
        assertThat(text.output()).contains("cli-team", "bob@example.org");

        JarProcess.Result json = check("--group", "cli-team", "--format", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(json.output().substring(json.output().indexOf('{')));
        assertThat(report.path("inSync").asBoolean()).isFalse();
        assertThat(report.path("counts").path("MEMBER_MISSING").asInt()).isEqualTo(1);

        Path html = SETUP.directory().home().resolve("report.html");
        assertThat(check("--group", "cli-team", "--format", "html", "--output", html.toString()).exitCode()).isEqualTo(1);
        assertThat(Files.readString(html)).contains("<html", "cli-team", "bob@example.org");

        List<Map<String, Object>> before = SETUP.seafile().query(EmbeddedSeafileDb.CCNET, "SELECT user_name FROM GroupUser ORDER BY id");
        JarProcess.Result dry = check("--group", "cli-team", "--repair", "--dry-run");
        assertThat(dry.exitCode()).isEqualTo(1);
        assertThat(SETUP.seafile().query(EmbeddedSeafileDb.CCNET, "SELECT user_name FROM GroupUser ORDER BY id")).isEqualTo(before);

        JarProcess.Result repair = check("--group", "cli-team", "--repair");
        assertThat(repair.exitCode()).as(repair.output()).isEqualTo(1);
        assertThat(repair.output()).contains("drift found and repaired");
        assertThat(check("--group", "cli-team").exitCode()).isZero();
    }

    @Test
    void emailSendsTheReportToTheConfiguredRecipients() throws Exception {
        JarProcess.Result result = check("--group", "cli-team", "--email");
        assertThat(result.exitCode()).as(result.output()).isIn(0, 1);
        assertThat(SMTP.getReceivedMessages()).singleElement().satisfies(mail -> {
            assertThat(mail.getSubject()).startsWith("grouprelay check:");
            assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ops@example.org");
        });
        assertThat(SETUP.directory().config().dataDir().resolve("reports")).isDirectoryContaining("glob:**.html");
    }

    @Test
    void aBadFormatIsAUsageError() throws Exception {
        JarProcess.Result result = check("--format", "xml");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("--format: 'xml' is not one of text, json, html");
    }

    @Test
    void aDirectoryThatIsNotRunningIsAnError() throws Exception {
        Path wrongPort = SETUP.directory().home().resolve("wrong-port.yaml");
        Files.writeString(wrongPort, Files.readString(config).replace("port: " + SETUP.directory().ldapPort(), "port: " + TestDirectory.freePort()));
        JarProcess.Result result = SETUP.run(wrongPort, "check");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("cannot read the directory", "is grouprelay serve running?");
    }
}
