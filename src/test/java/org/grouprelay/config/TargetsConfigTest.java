package org.grouprelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code targets} section: several targets, each by its kind, and every mistake as one line naming the key. */
class TargetsConfigTest {
    @TempDir
    static Path dir;
    static Path ldif;

    static final Environment ENV = new Environment(Map.of("ADMIN_PW", "s3cret-admin", "SCIM_TOKEN", "t0ken", "DB_PW", "db"));

    @BeforeAll
    static void files() throws IOException {
        ldif = Files.writeString(dir.resolve("bootstrap.ldif"), "dn: dc=example,dc=org\n");
    }

    static final String SEAFILE_KEYS = """
                target: sql
                sql:
                  ccnetUrl: jdbc:mariadb://127.0.0.1:3306/ccnet_db
                  seahubUrl: jdbc:mariadb://127.0.0.1:3306/seahub_db
                  seafileUrl: jdbc:mariadb://127.0.0.1:3306/seafile_db
                  user: seafile
                  password: ${DB_PW}
                groupCreator: admin@example.org
            """;

    static String yaml(String rest) {
        return ConfigLoaderTest.directory(ldif) + rest;
    }

    Config parse(String rest) {
        return new ConfigLoader(ENV).parse(yaml(rest), "test.yaml");
    }

    static String twoTargets(String scimExtra) {
        return "targets:\n  seafile:\n    kind: seafile\n" + SEAFILE_KEYS + """
                  apps:
                    kind: scim
                    url: http://127.0.0.1:8080/scim/v2/
                    token: ${SCIM_TOKEN}
                """ + scimExtra;
    }

    @Test
    void severalTargetsInTheOrderWritten() {
        Config config = parse(twoTargets("    deadlineMillis: 500\n    compatibility: aws\n    users: { userName: mail, onDelete: delete }\n"));
        assertThat(config.targets()).extracting(TargetConfig::name).containsExactly("seafile", "apps");
        ScimConfig scim = (ScimConfig) config.target("apps").orElseThrow().settings();
        assertThat(scim.url()).isEqualTo("http://127.0.0.1:8080/scim/v2");
        assertThat(scim.token().value()).isEqualTo("t0ken");
        assertThat(scim.toString()).doesNotContain("t0ken");
        assertThat(scim.deadline()).isEqualTo(Duration.ofMillis(500));
        assertThat(scim.compatibility()).isEqualTo(ScimConfig.Compatibility.AWS);
        assertThat(scim.userName()).isEqualTo("mail");
        assertThat(scim.onUserDeleted()).isEqualTo(ScimConfig.OnUserDeleted.DELETE);
        assertThat(scim.maxOperations()).isEqualTo(100);
        assertThat(scim.mode()).isEqualTo(RelayMode.RELAY);
        Path data = config.directory().dataDir();
        assertThat(config.target("seafile").orElseThrow().stateDir(data)).isEqualTo(data);
        assertThat(config.target("apps").orElseThrow().stateDir(data)).isEqualTo(data.resolve("targets").resolve("apps"));
        assertThat(scim.auditLog()).isEqualTo(data.resolve("targets").resolve("apps").resolve("audit.jsonl"));
        assertThat(config.seafile()).isPresent();
    }

    @Test
    void theSeafileSectionIsTheTargetNamedSeafile() {
        Config config = parse("seafile:\n" + SEAFILE_KEYS);
        assertThat(config.targets()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("seafile");
            assertThat(t.settings()).isInstanceOf(SeafileConfig.class);
            assertThat(t.settings().auditLog()).isEqualTo(config.directory().dataDir().resolve("audit.jsonl"));
        });
    }

    static final String ENTRA = """
            targets:
              m365:
                kind: entra
                tenantId: 00000000-0000-0000-0000-0000000000aa
                clientId: 00000000-0000-0000-0000-0000000000bb
                clientSecret: s3cret
            """;

    static String entra(String rest) {
        return ENTRA + rest;
    }

    @Test
    void anEntraTargetWithItsDefaults() {
        Config config = parse(entra("    groups:\n      - { directory: staff, entra: 11111111-1111-1111-1111-111111111111 }\n"
                + "    graphUrl: http://127.0.0.1:8081/\n    authorityUrl: http://localhost:8081\n"));
        EntraConfig entra = (EntraConfig) config.target("m365").orElseThrow().settings();
        assertThat(entra.groups()).containsExactly(new EntraConfig.GroupMapping("staff", "11111111-1111-1111-1111-111111111111"));
        assertThat(entra.match()).isEqualTo("mail");
        assertThat(entra.invite()).isFalse();
        assertThat(entra.inviteRedirectUrl()).isEqualTo("https://myapps.microsoft.com");
        assertThat(entra.graphUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(entra.authorityUrl()).isEqualTo("http://localhost:8081");
        assertThat(entra.toString()).doesNotContain("s3cret");
    }

    static final String MAS = """
            targets:
              matrix:
                kind: matrix-mas
                url: https://auth.example.org/
                clientId: grouprelay
                clientSecret: s3cret
            """;

    @Test
    void aMatrixTargetWithItsDefaults() {
        Config config = parse(MAS + "    group: matrix-users\n");
        MasConfig mas = (MasConfig) config.target("matrix").orElseThrow().settings();
        assertThat(mas.url()).isEqualTo("https://auth.example.org");
        assertThat(mas.group()).isEqualTo("matrix-users");
        assertThat(mas.localpart()).isEqualTo("uid");
        assertThat(mas.offboard()).isEqualTo(MasConfig.Offboard.DEACTIVATE);
        assertThat(mas.toString()).doesNotContain("s3cret");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("both sections", "seafile:\n" + SEAFILE_KEYS + twoTargets(""), "seafile: a file with both seafile and targets is refused"),
                Arguments.of("unknown kind", "targets:\n  apps:\n    kind: slack\n    url: http://x\n",
                        "targets.apps.kind: 'slack' is not a target kind; write kind: seafile, scim, entra or matrix-mas"),
                Arguments.of("no kind", "targets:\n  apps:\n    url: http://x\n", "targets.apps.kind: missing; write kind: seafile, scim, entra or matrix-mas"),
                Arguments.of("bad name", "targets:\n  Apps_1:\n    kind: scim\n    url: http://x\n    token: t\n",
                        "targets.Apps_1: 'Apps_1' is not a target name; use lower-case letters, digits and '-'"),
                Arguments.of("empty", "targets: {}\n", "targets: is empty; name at least one target"),
                Arguments.of("scim key on seafile", "targets:\n  s:\n    kind: seafile\n    token: x\n" + SEAFILE_KEYS,
                        "targets.s.token: unknown key; targets.s accepts"),
                Arguments.of("no token", "targets:\n  apps:\n    kind: scim\n    url: http://127.0.0.1/scim/v2\n",
                        "targets.apps.token: missing; give the bearer token"),
                Arguments.of("bad url", "targets:\n  apps:\n    kind: scim\n    url: ftp://x\n    token: t\n",
                        "targets.apps.url: 'ftp://x' is not an http(s) URL"),
                Arguments.of("bad onDelete", "targets:\n  apps:\n    kind: scim\n    url: http://x/scim\n    token: t\n    users: { onDelete: wipe }\n",
                        "targets.apps.users.onDelete: 'wipe' is not one of deactivate, delete, keep"),
                Arguments.of("bad compatibility", "targets:\n  apps:\n    kind: scim\n    url: http://x/scim\n    token: t\n    compatibility: azure\n",
                        "targets.apps.compatibility: 'azure' is not one of none, aws"),
                Arguments.of("nested differs", twoTargets("    nested: ignore\n"),
                        "targets.apps.nested: 'ignore' differs from target seafile's 'flatten'"),
                Arguments.of("shared audit log", twoTargets("    auditLog: ./data/audit.jsonl\n"),
                        "targets.apps.auditLog: is also the audit log of target seafile"),
                Arguments.of("entra without groups", entra(""), "targets.m365.groups: missing; map at least one directory group"),
                Arguments.of("entra group not a GUID", entra("    groups: [ { directory: staff, entra: staff-group } ]\n"),
                        "targets.m365.groups[0].entra: 'staff-group' is not a GUID"),
                Arguments.of("entra group mapped twice", entra("    groups:\n      - { directory: staff, entra: 11111111-1111-1111-1111-111111111111 }\n"
                        + "      - { directory: Staff, entra: 11111111-1111-1111-1111-111111111112 }\n"),
                        "targets.m365.groups[1].directory: 'Staff' is mapped twice"),
                Arguments.of("entra over plain http", entra("    groups: [ { directory: staff, entra: 11111111-1111-1111-1111-111111111111 } ]\n"
                        + "    graphUrl: http://graph.example.org\n"), "targets.m365.graphUrl: 'http://graph.example.org' is not an https URL"),
                Arguments.of("entra strict", entra("    groups: [ { directory: staff, entra: 11111111-1111-1111-1111-111111111111 } ]\n"
                        + "    mode: strict\n"), "targets.m365.mode: strict is not offered for kind entra"),
                Arguments.of("mas without group", MAS, "targets.matrix.group: missing"),
                Arguments.of("mas offboard", MAS + "    group: g\n    offboard: erase\n",
                        "targets.matrix.offboard: 'erase' is not one of deactivate, lock"),
                Arguments.of("mas strict", MAS + "    group: g\n    mode: strict\n", "targets.matrix.mode: strict is not offered for kind matrix-mas"),
                Arguments.of("mas no secret", MAS.replace("    clientSecret: s3cret\n", "") + "    group: g\n",
                        "targets.matrix.clientSecret: missing"),
                Arguments.of("entra tenant", ENTRA.replace("00000000-0000-0000-0000-0000000000aa", "contoso")
                        + "    groups: [ { directory: staff, entra: 11111111-1111-1111-1111-111111111111 } ]\n",
                        "targets.m365.tenantId: 'contoso' is not a GUID"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsOneLineNamingTheKey(String name, String rest, String expected) {
        assertThatThrownBy(() -> parse(rest)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
