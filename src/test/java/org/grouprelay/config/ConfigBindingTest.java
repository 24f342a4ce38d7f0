package org.grouprelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How the file's shape is read: what binds, and one line naming the key for every shape mistake. */
class ConfigBindingTest {
    @TempDir
    static Path dir;
    static Path ldif;

    static final Environment ENV = new Environment(Map.of("ADMIN_PW", "s3cret-admin", "LDAP_PORT", "10390", "OPS_ON", "true"));

    @BeforeAll
    static void files() throws IOException {
        ldif = Files.writeString(dir.resolve("bootstrap.ldif"), "dn: dc=example,dc=org\n");
    }

    static String valid() {
        return ConfigLoaderTest.directory(ldif);
    }

    static String seafile(String users) {
        return """
                seafile:
                  sql:
                    ccnetUrl: jdbc:mariadb://127.0.0.1:3306/ccnet_db
                    seahubUrl: jdbc:mariadb://127.0.0.1:3306/seahub_db
                    seafileUrl: jdbc:mariadb://127.0.0.1:3306/seafile_db
                    user: seafile
                    password: ${ADMIN_PW}
                  groupCreator: admin@example.org
                """ + users;
    }

    static Config parse(String yaml) {
        return new ConfigLoader(ENV).parse(yaml, "test.yaml");
    }

    @Test
    void anyValueMayComeFromTheEnvironmentAlsoInsideBraces() {
        Config config = parse(valid().replace("port: 10389", "port: ${LDAP_PORT}") + "ops: {http: {enabled: ${OPS_ON}, port: 9100}}\n");
        assertThat(config.directory().ldap().port()).isEqualTo(10390);
        assertThat(config.ops().http().enabled()).isTrue();
    }

    @Test
    void anEmptyValueIsAbsentAndASingleRecipientIsAList() {
        Config config = parse(valid().replace("requireTls: false", "requireTls:") + """
                check:
                  report:
                    email: { to: ops@example.org, from: grouprelay@example.org, smtp: { host: h, port: 25 } }
                ops:
                """);
        assertThat(config.directory().requireTls()).isFalse();
        assertThat(config.check().email().orElseThrow().to()).containsExactly("ops@example.org");
        assertThat(config.ops()).isEqualTo(OpsConfig.defaults());
    }

    @Test
    void valuesAreCheckedAsWritten() {
        assertThatThrownBy(() -> parse(valid().replace("requireTls: false", "requireTls: yes")))
                .hasMessage("directory.requireTls: 'yes' is not a boolean; write true or false");
        assertThatThrownBy(() -> parse(valid().replace("port: 10389", "port: 0x2895")))
                .hasMessageStartingWith("directory.ldap.port: '0x2895' is not a TCP port");
    }

    @Test
    void aDuplicateKeyIsNamedWithItsLine() {
        assertThatThrownBy(() -> parse(valid() + "  suffix: dc=other\n"))
                .hasMessageStartingWith("test.yaml: not valid YAML at line 10, column ").hasMessageEndingWith(": duplicate key 'suffix'");
    }

    static Stream<Arguments> shapeMistakes() {
        return Stream.of(
                Arguments.of("list for a value", valid().replace("requireTls: false", "requireTls: [true]"),
                        "directory.requireTls: expected a single value, found a list"),
                Arguments.of("section for a value", valid().replace("suffix: dc=example,dc=org", "suffix: { dc: example }"),
                        "directory.suffix: expected a single value, found a section"),
                Arguments.of("list for a section", valid().replace("ldap:  { host: 127.0.0.1, port: 10389 }", "ldap: [127.0.0.1, 10389]"),
                        "directory.ldap: expected a section of key: value pairs, found a list"),
                Arguments.of("value for the whole file", "grouprelay\n",
                        "the configuration: expected a section of key: value pairs, found 'grouprelay'"),
                Arguments.of("value for a list", valid() + seafile("  users: email\n"),
                        "seafile.users: expected a list (items starting with '- ')"),
                Arguments.of("value for a list item", valid() + seafile("  users: [email]\n"),
                        "seafile.users[0]: expected a section of key: value pairs, found 'email'"),
                Arguments.of("unknown key in a list item", valid() + seafile("  users:\n    - { strategy: email, atribute: mail }\n"),
                        "seafile.users[0].atribute: unknown key; seafile.users[0] accepts attribute, provider, strategy"),
                Arguments.of("nested list of recipients", valid()
                        + "check: { report: { email: { to: [[ops@example.org]], from: a@b.c, smtp: { host: h, port: 25 } } } }\n",
                        "check.report.email.to: expected a list of values"),
                Arguments.of("alias", valid().replace("suffix: dc=example,dc=org", "suffix: &base dc=example,dc=org")
                        .replace("dataDir: ./data", "dataDir: *base"),
                        "directory.dataDir: aliases (*name) are not supported here; write the value out"),
                Arguments.of("second document", valid() + "---\ndirectory: {}\n",
                        "test.yaml: not valid YAML at line 11: expected a single document in the stream; remove the second one"),
                Arguments.of("tab indentation", valid().replace("  dataDir", "\tdataDir"),
                        "test.yaml: not valid YAML at line 3, column 1: found character '\\t(TAB)' that cannot start any token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapeMistakes")
    void eachShapeMistakeIsOneLineNamingTheKey(String name, String yaml, String expected) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "jackson", "Jackson", "`", "JsonToken"));
    }
}
