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

class ConfigLoaderTest {
    @TempDir
    static Path dir;
    static Path ldif;

    static final Environment ENV = new Environment(Map.of("ADMIN_PW", "s3cret-admin", "EMPTY", ""));

    @BeforeAll
    static void files() throws IOException {
        ldif = Files.writeString(dir.resolve("bootstrap.ldif"), "dn: dc=example,dc=org\n");
    }

    static String valid() {
        return directory(ldif);
    }

    /** A valid directory section with the bootstrap LDIF at {@code ldif} (the admin password from ADMIN_PW). */
    static String directory(Path ldif) {
        return """
                directory:
                  suffix: dc=example,dc=org
                  dataDir: ./data
                  bootstrapLdif: %s
                  adminPassword: ${ADMIN_PW}
                  ldap:  { host: 127.0.0.1, port: 10389 }
                  requireTls: false
                  peopleDn: ou=people,dc=example,dc=org
                  groupsDn: ou=groups,dc=example,dc=org
                """.formatted(ldif);
    }

    Config parse(String yaml) {
        return new ConfigLoader(ENV).parse(yaml, "test.yaml");
    }

    @Test
    void theShippedExampleIsValid() {
        Environment env = new Environment(Map.of("GROUPRELAY_ADMIN_PASSWORD", "x-admin", "SEAFILE_DB_PASSWORD", "x-db"));
        Path home = Path.of(System.getProperty("grouprelay.home", "."));
        String yaml;
        try {
            yaml = Files.readString(home.resolve("conf/grouprelay.yaml"))
                    .replace("ldif/bootstrap.ldif", home.resolve("ldif/bootstrap.ldif").toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Config config = new ConfigLoader(env).parse(yaml, "conf/grouprelay.yaml");
        assertThat(config.directory().ldap()).isEqualTo(new Endpoint("127.0.0.1", 10389));
        assertThat(config.directory().ldaps()).isEmpty();
        SeafileConfig seafile = config.seafile().orElseThrow();
        assertThat(seafile.users()).extracting(r -> r.strategy().configName()).containsExactly("social-auth", "email");
        assertThat(seafile.nested()).isEqualTo(org.grouprelay.membership.NestedPolicy.FLATTEN);
        assertThat(seafile.deadline()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(seafile.toString()).doesNotContain("x-db");
        assertThat(config.ops()).isEqualTo(OpsConfig.defaults());
    }

    static String seafile() {
        return """
                seafile:
                  target: sql
                  sql:
                    ccnetUrl: jdbc:mariadb://127.0.0.1:3306/ccnet_db
                    seahubUrl: jdbc:mariadb://127.0.0.1:3306/seahub_db
                    seafileUrl: jdbc:mariadb://127.0.0.1:3306/seafile_db
                    user: seafile
                    password: ${ADMIN_PW}
                  users:
                    - { strategy: social-auth, provider: keycloak, attribute: mail }
                  groupCreator: admin@example.org
                """;
    }

    @Test
    void aValidConfigBindsToRecordsAndExpandsSecrets() {
        DirectoryConfig d = parse(valid()).directory();
        assertThat(d.suffix()).isEqualTo("dc=example,dc=org");
        assertThat(d.adminPassword().reveal()).isEqualTo("s3cret-admin");
        assertThat(d.peopleDn()).isEqualTo("ou=people,dc=example,dc=org");
        assertThat(d.requireTls()).isFalse();
        assertThat(d.tlsEnabled()).isFalse();
    }

    @Test
    void theCheckSectionBindsWithDefaults() {
        CheckConfig check = parse(valid() + """
                check:
                  schedule: "0 0 3 * * ?"
                  report:
                    email:
                      to: [ops@example.org, it@example.org]
                      from: grouprelay@example.org
                      smtp: { host: mail.example.org, port: 587, user: grouprelay, password: ${ADMIN_PW} }
                """).check();
        assertThat(check.schedule()).isEqualTo("0 0 3 * * ?");
        assertThat(check.maxRemovalShare()).isEqualTo(0.2);
        assertThat(check.email().orElseThrow().to()).containsExactly("ops@example.org", "it@example.org");
        assertThat(check.email().orElseThrow().smtp().starttls()).isTrue();
        assertThat(check.toString()).doesNotContain("s3cret-admin");
        assertThat(parse(valid()).check()).isEqualTo(CheckConfig.defaults());
    }

    @Test
    void theOpsSectionIsOffAndLoopbackByDefault() {
        assertThat(parse(valid()).ops()).isEqualTo(OpsConfig.defaults());
        assertThat(OpsConfig.defaults().http()).isEqualTo(new OpsConfig.Http(false, "127.0.0.1", 9464));
        assertThat(OpsConfig.defaults().drain()).isEqualTo(java.time.Duration.ofSeconds(10));
        OpsConfig ops = parse(valid() + """
                ops:
                  http: { enabled: true, host: 0.0.0.0, port: 9100 }
                  drainSeconds: 3
                """).ops();
        assertThat(ops.http()).isEqualTo(new OpsConfig.Http(true, "0.0.0.0", 9100));
        assertThat(ops.http().localUrl()).isEqualTo("http://127.0.0.1:9100");
        assertThat(ops.drain()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(parse(valid() + "ops: { http: { enabled: true, host: \"::1\" } }\n").ops().http().localUrl()).isEqualTo("http://[::1]:9464");
        // the LDAP port clash only matters when the endpoint is on
        assertThat(parse(valid() + "ops: { http: { port: 10389 } }\n").ops().http().enabled()).isFalse();
    }

    @Test
    void secretsAreMaskedWhenPrinted() {
        Config config = parse(valid());
        assertThat(config.toString()).doesNotContain("s3cret-admin").contains("adminPassword=****");
    }

    static String keycloak() {
        return """
                keycloak:
                  url: http://127.0.0.1:8180/
                  realm: demo
                  clientId: grouprelay
                  clientSecret: ${ADMIN_PW}
                  pollSeconds: 5
                """;
    }

    @Test
    void accessRulesDefaultToTheShippedOnesAndAreReadWhenPresent() {
        AccessConfig shipped = parse(valid()).directory().access();
        assertThat(shipped.engine()).isEqualTo(AccessConfig.Engine.GROUPRELAY);
        assertThat(shipped.rules()).extracting(AccessConfig.Rule::subtree).containsExactly("ou=people,dc=example,dc=org", "ou=groups,dc=example,dc=org");
        assertThat(shipped.rules()).allSatisfy(rule -> {
            assertThat(rule.accounts()).containsExactly("uid=keycloak,ou=services,dc=example,dc=org");
            assertThat(rule.right()).isEqualTo(AccessConfig.Right.WRITE);
            assertThat(rule.hide()).containsExactly("userPassword");
        });
        assertThat(shipped.rules().get(0).readOnly()).contains("grouprelayMemberExpiry");

        AccessConfig own = parse(valid() + """
                  access:
                    rules:
                      - accounts: [ "uid=reader,ou=services,dc=example,dc=org" ]
                        subtree: ou=people,dc=example,dc=org
                        access: read
                        hide: [ mail ]
                """).directory().access();
        assertThat(own.rules()).singleElement().satisfies(rule -> {
            assertThat(rule.right()).isEqualTo(AccessConfig.Right.READ);
            assertThat(rule.hide()).containsExactlyInAnyOrder("mail", "userPassword");
            assertThat(rule.readOnly()).isEmpty();
        });
        assertThat(parse(valid() + "  access: { engine: apacheds }\n").directory().access())
                .isEqualTo(new AccessConfig(AccessConfig.Engine.APACHEDS, java.util.List.of()));
        assertThat(parse(valid() + "  access: { rules: [] }\n").directory().access().rules()).as("only the built-in rules").isEmpty();
        assertThat(parse(valid()).directory().entryCacheSize()).isEqualTo(1_000);
        assertThat(parse(valid() + "  entryCacheSize: 20000\n").directory().entryCacheSize()).isEqualTo(20_000);
    }

    @Test
    void keycloakSectionIsOptionalAndReadWhenPresent() {
        assertThat(parse(valid()).keycloak()).isEmpty();
        KeycloakConfig keycloak = parse(valid() + keycloak().replace("  pollSeconds: 5\n", "")).keycloak().orElseThrow();
        assertThat(keycloak.url()).hasToString("http://127.0.0.1:8180");
        assertThat(keycloak.realm()).isEqualTo("demo");
        assertThat(keycloak.clientId()).isEqualTo("grouprelay");
        assertThat(keycloak.clientSecret().reveal()).isEqualTo("s3cret-admin");
        assertThat(keycloak.poll()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(keycloak.toString()).doesNotContain("s3cret-admin");
        assertThat(parse(valid() + keycloak().replace("pollSeconds: 5", "pollSeconds: 30")).keycloak().orElseThrow().poll())
                .isEqualTo(java.time.Duration.ofSeconds(30));
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("unknown key", valid().replace("  requireTls: false", "  requireTLS: false"),
                        "directory.requireTLS: unknown key; directory accepts access, adminPassword, bootstrapLdif, dataDir, entryCacheSize, groupsDn, ldap, ldaps, peopleDn, requireTls, suffix, tls"),
                Arguments.of("unknown section", valid() + "seafiel: {}\n", "seafiel: unknown key; top-level accepts check, directory, expiry, keycloak, ops, seafile"),
                Arguments.of("keycloak URL without scheme", valid() + keycloak().replace("http://127.0.0.1:8180", "127.0.0.1:8180"),
                        "keycloak.url: '127.0.0.1:8180/' is not an http(s) URL of Keycloak"),
                Arguments.of("keycloak poll too slow", valid() + keycloak().replace("pollSeconds: 5", "pollSeconds: 7200"),
                        "keycloak.pollSeconds: '7200' is not a number of seconds from 1 to 3600"),
                Arguments.of("keycloak without secret", valid() + keycloak().replace("  clientSecret: ${ADMIN_PW}\n", ""),
                        "keycloak.clientSecret: missing"),
                Arguments.of("keycloak realm with a slash", valid() + keycloak().replace("realm: demo", "realm: de/mo"),
                        "keycloak.realm: 'de/mo' is not a Keycloak name"),
                Arguments.of("keycloak unknown key", valid() + keycloak().replace("pollSeconds", "pollSecs"),
                        "keycloak.pollSecs: unknown key; keycloak accepts clientId, clientSecret, pollSeconds, realm, url"),
                Arguments.of("unknown strategy", valid() + seafile().replace("social-auth", "sso"),
                        "seafile.users[0].strategy: 'sso' is not a strategy; use email, social-auth or contact-email"),
                Arguments.of("social-auth without provider", valid() + seafile().replace("provider: keycloak, ", ""),
                        "seafile.users[0].provider: missing"),
                Arguments.of("bad mode", valid() + seafile().replace("target: sql", "target: sql\n  mode: async"),
                        "seafile.mode: 'async' is not one of relay, strict"),
                Arguments.of("bad nested policy", valid() + seafile().replace("target: sql", "target: sql\n  nested: deep"),
                        "seafile.nested: 'deep' is not one of flatten, ignore"),
                Arguments.of("bad JDBC URL", valid() + seafile().replace("jdbc:mariadb://127.0.0.1:3306/ccnet_db", "mysql://db/ccnet"),
                        "seafile.sql.ccnetUrl: 'mysql://db/ccnet' is not a MariaDB/MySQL JDBC URL"),
                Arguments.of("group creator not an id", valid() + seafile().replace("admin@example.org", "admin"),
                        "seafile.groupCreator: 'admin' is not a Seafile user id"),
                Arguments.of("missing sql", valid() + "seafile:\n  groupCreator: a@b.c\n", "seafile.sql: missing"),
                Arguments.of("bad deadline", valid() + seafile().replace("target: sql", "target: sql\n  deadlineMillis: -5"),
                        "seafile.deadlineMillis: '-5' is not a positive number of milliseconds"),
                Arguments.of("missing key", valid().replace("  suffix: dc=example,dc=org\n", ""),
                        "directory.suffix: missing; this key is required"),
                Arguments.of("bad DN", valid().replace("suffix: dc=example,dc=org", "suffix: dc=example,,dc=org"),
                        "directory.suffix: 'dc=example,,dc=org' is not a valid DN"),
                Arguments.of("DN outside suffix", valid().replace("peopleDn: ou=people,dc=example,dc=org", "peopleDn: ou=people,dc=other,dc=org"),
                        "directory.peopleDn: 'ou=people,dc=other,dc=org' is not below directory.suffix 'dc=example,dc=org'"),
                Arguments.of("port out of range", valid().replace("port: 10389", "port: 99999"),
                        "directory.ldap.port: '99999' is not a TCP port; use a number from 1 to 65535"),
                Arguments.of("port not a number", valid().replace("port: 10389", "port: ldap"),
                        "directory.ldap.port: 'ldap' is not a TCP port"),
                Arguments.of("unreadable file", valid().replace(ldif.toString(), "/nonexistent/bootstrap.ldif"),
                        "directory.bootstrapLdif: file /nonexistent/bootstrap.ldif does not exist"),
                Arguments.of("unset secret", valid().replace("${ADMIN_PW}", "${GROUPRELAY_NOT_SET}"),
                        "directory.adminPassword: environment variable GROUPRELAY_NOT_SET is not set"),
                Arguments.of("default admin password", valid().replace("${ADMIN_PW}", "secret"),
                        "directory.adminPassword: 'secret' is ApacheDS's well-known default"),
                Arguments.of("empty admin password", valid().replace("${ADMIN_PW}", "${EMPTY}"),
                        "directory.adminPassword: is empty"),
                Arguments.of("bad boolean", valid().replace("requireTls: false", "requireTls: maybe"),
                        "directory.requireTls: 'maybe' is not a boolean"),
                Arguments.of("same port twice", valid() + "  ldaps: { host: 127.0.0.1, port: 10389 }\n",
                        "directory.ldaps.port: 127.0.0.1:10389 is also directory.ldap"),
                Arguments.of("missing keystore", valid() + "  tls: { keystore: /nonexistent.p12, password: x }\n",
                        "directory.tls.keystore: file /nonexistent.p12 does not exist"),
                Arguments.of("section expected", valid().replace("ldap:  { host: 127.0.0.1, port: 10389 }", "ldap: 10389"),
                        "directory.ldap: expected a section of key: value pairs"),
                Arguments.of("broken YAML", valid().replace("  suffix: dc", " suffix: dc"), "test.yaml: not valid YAML at line"),
                Arguments.of("duplicate key", valid() + "  suffix: dc=other\n", "test.yaml: not valid YAML"),
                Arguments.of("empty file", "", "test.yaml: the configuration is empty"),
                Arguments.of("bad cron", valid() + "check: { schedule: \"every night\" }\n",
                        "check.schedule: 'every night' is not a Quartz cron expression"),
                Arguments.of("bad guard share", valid() + "check: { guard: { maxRemovalShare: 2 } }\n",
                        "check.guard.maxRemovalShare: '2' is not a share"),
                Arguments.of("no recipients", valid() + "check: { report: { email: { from: a@b.c, smtp: { host: h, port: 25 } } } }\n",
                        "check.report.email.to: missing"),
                Arguments.of("bad recipient", valid() + "check: { report: { email: { to: [ops], from: a@b.c, smtp: { host: h, port: 25 } } } }\n",
                        "check.report.email.to: 'ops' is not an e-mail address"),
                Arguments.of("user without password", valid()
                        + "check: { report: { email: { to: [o@b.c], from: a@b.c, smtp: { host: h, port: 587, user: u } } } }\n",
                        "check.report.email.smtp.password: missing"),
                Arguments.of("unknown ops key", valid() + "ops: { http: { enabled: true, adress: 0.0.0.0 } }\n",
                        "ops.http.adress: unknown key; ops.http accepts enabled, host, port"),
                Arguments.of("unknown ops section", valid() + "ops: { metrics: {} }\n", "ops.metrics: unknown key; ops accepts drainSeconds, http"),
                Arguments.of("ops port out of range", valid() + "ops: { http: { enabled: true, port: 0 } }\n",
                        "ops.http.port: '0' is not a TCP port; use a number from 1 to 65535"),
                Arguments.of("ops port not a number", valid() + "ops: { http: { port: metrics } }\n", "ops.http.port: 'metrics' is not a TCP port"),
                Arguments.of("ops port is the LDAP port", valid() + "ops: { http: { enabled: true, port: 10389 } }\n",
                        "ops.http.port: 10389 is also directory.ldap's port"),
                Arguments.of("ops host with a scheme", valid() + "ops: { http: { enabled: true, host: \"http://0.0.0.0\" } }\n",
                        "ops.http.host: 'http://0.0.0.0' is not a host name or IP address"),
                Arguments.of("ops enabled not a boolean", valid() + "ops: { http: { enabled: yes please } }\n",
                        "ops.http.enabled: 'yes please' is not a boolean"),
                Arguments.of("entry cache not a number", valid() + "  entryCacheSize: lots\n",
                        "directory.entryCacheSize: 'lots' is not a number of entries from 1 to 1000000"),
                Arguments.of("entry cache zero", valid() + "  entryCacheSize: 0\n", "directory.entryCacheSize: '0' is not a number of entries"),
                Arguments.of("unknown access engine", valid() + "  access: { engine: openldap }\n",
                        "directory.access.engine: 'openldap' is not one of grouprelay, apacheds"),
                Arguments.of("rules with ApacheDS's engine", valid() + "  access: { engine: apacheds, rules: [] }\n",
                        "directory.access.rules: is not used with engine apacheds"),
                Arguments.of("rule without access", valid() + "  access: { rules: [ { accounts: [\"uid=a,dc=example,dc=org\"], subtree: \"dc=example,dc=org\" } ] }\n",
                        "directory.access.rules[0].access: missing"),
                Arguments.of("rule with a bad right", valid()
                        + "  access: { rules: [ { accounts: [\"uid=a,dc=example,dc=org\"], subtree: \"dc=example,dc=org\", access: all } ] }\n",
                        "directory.access.rules[0].access: 'all' is not one of read, write"),
                Arguments.of("rule without accounts", valid() + "  access: { rules: [ { subtree: \"dc=example,dc=org\", access: read } ] }\n",
                        "directory.access.rules[0].accounts: missing"),
                Arguments.of("rule with a bad account", valid()
                        + "  access: { rules: [ { accounts: [keycloak], subtree: \"dc=example,dc=org\", access: read } ] }\n",
                        "directory.access.rules[0].accounts: 'keycloak' is not a valid DN"),
                Arguments.of("rule outside the suffix", valid()
                        + "  access: { rules: [ { accounts: [uid=a,dc=example,dc=org], subtree: \"ou=system\", access: read } ] }\n",
                        "directory.access.rules[0].subtree: 'ou=system' is not directory.suffix 'dc=example,dc=org' or below it"),
                Arguments.of("rule hiding a non-name", valid()
                        + "  access: { rules: [ { accounts: [\"uid=a,dc=example,dc=org\"], subtree: \"dc=example,dc=org\", access: read, hide: [\"mail;x\"] } ] }\n",
                        "directory.access.rules[0].hide: 'mail;x' is not an attribute type name"),
                Arguments.of("a DN in a flow mapping, unquoted", valid()
                        + "  access: { rules: [ { accounts: [\"uid=a,dc=example,dc=org\"], subtree: dc=example,dc=org, access: read } ] }\n",
                        "directory.access.rules[0].dc=org: unknown key; directory.access.rules[0] accepts access, accounts, hide, readOnly, "
                                + "subtree (a DN inside { } or [ ] is cut at its commas: put it in quotes"),
                Arguments.of("unknown rule key", valid()
                        + "  access: { rules: [ { accounts: [\"uid=a,dc=example,dc=org\"], subtree: \"dc=example,dc=org\", access: read, deny: [mail] } ] }\n",
                        "directory.access.rules[0].deny: unknown key"),
                Arguments.of("bad drain", valid() + "ops: { drainSeconds: -1 }\n", "ops.drainSeconds: '-1' is not a number of seconds from 0 to 600"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void eachMistakeIsOneLineNamingTheKey(String name, String yaml, String expected) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
