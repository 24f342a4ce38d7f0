package org.grouprelay.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as operators run it, with {@code requireTls: true}, LDAPS, a relay to a real MariaDB and
 * known secret values, in a JVM whose security settings would still allow TLS 1.0 and 1.1: what
 * refuses them is grouprelay's own configuration. Checks that plain binds are refused, that a wrong
 * password does not reveal whether the user exists, the TLS versions offered, and that no secret
 * ever shows in what grouprelay prints or writes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
    static final String ADMIN_PASSWORD = "Adm1n-secret-7f3a9c";
    static final String KEYCLOAK_PASSWORD = "Kc-secret-51d2e8";
    static final String USER_PASSWORD = "User-secret-0b6e44";
    static final String SMTP_PASSWORD = "Smtp-secret-9aa1c3";
    static final String WRONG_DB_PASSWORD = "Wrong-db-secret-2c7d10";
    static final String PEOPLE = "ou=people,dc=example,dc=org";

    @TempDir
    static Path work;
    static TestSeafile seafile;
    static JarProcess server;
    static Map<String, String> env;
    static int ldapPort;
    static int ldapsPort;
    static Path legacyTls;
    /** Everything grouprelay printed, for the secrets check. */
    static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.db().seedUser("admin@example.org", true);
        seafile.db().seedUser("alice@example.org", true);
        ldapPort = TestDirectory.freePort();
        ldapsPort = TestDirectory.freePort();
        // re-enable TLS 1.0/1.1 in the JVM: only grouprelay's own settings may refuse them
        legacyTls = Files.writeString(work.resolve("legacy-tls.security"), "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA,"
                + " DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n");
        ConfigYaml yaml = ConfigYaml.forJar(work, ldapPort, seafile, "admin@example.org").ldaps(ldapsPort).requireTls(true)
                .section("""
                check:
                  report:
                    email:
                      to: [ops@example.org]
                      from: grouprelay@example.org
                      smtp: { host: 127.0.0.1, port: %d, starttls: false, user: grouprelay, password: ${SMTP_PASSWORD} }
                """.formatted(TestDirectory.freePort()));
        yaml.writeTo(work.resolve("grouprelay.yaml"));
        Files.setPosixFilePermissions(work.resolve("grouprelay.yaml"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        env = new HashMap<>(yaml.environment(ADMIN_PASSWORD, KEYCLOAK_PASSWORD));
        env.put("SMTP_PASSWORD", SMTP_PASSWORD);
        env.put("JAVA_TOOL_OPTIONS", "-Djava.security.properties=" + legacyTls);
        server = JarProcess.serve(work, env, "listening on", Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (seafile != null) {
            seafile.close();
        }
    }

    static LDAPConnection startTls() throws Exception {
        LDAPConnection connection = new LDAPConnection("127.0.0.1", ldapPort);
        SSLUtil ssl = new SSLUtil(new TrustStoreTrustManager(trustStore().toFile(), "changeit".toCharArray(), "PKCS12", true));
        ExtendedResult result = connection.processExtendedOperation(new StartTLSExtendedRequest(ssl.createSSLContext()));
        assertThat(result.getResultCode()).isEqualTo(ResultCode.SUCCESS);
        return connection;
    }

    /** A PKCS#12 trust store holding the certificate grouprelay generated (dataDir/tls/selfsigned.pem). */
    static Path trustStore() throws Exception {
        Path store = work.resolve("trust.p12");
        if (!Files.exists(store)) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = Files.newInputStream(work.resolve("data/tls/selfsigned.pem"))) {
                trust.setCertificateEntry("grouprelay", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            try (var out = Files.newOutputStream(store)) {
                trust.store(out, "changeit".toCharArray());
            }
        }
        return store;
    }

    @Test
    void requireTlsRefusesAPlainBindWith13AndAcceptsItAfterStartTls() throws Exception {
        try (LDAPConnection plain = new LDAPConnection("127.0.0.1", ldapPort)) {
            assertThatThrownBy(() -> plain.bind("uid=admin,ou=system", ADMIN_PASSWORD)).isInstanceOfSatisfying(LDAPException.class, e -> {
                assertThat(e.getResultCode()).isEqualTo(ResultCode.CONFIDENTIALITY_REQUIRED);
                assertThat(e.getResultCode().intValue()).isEqualTo(13);
            });
        }
        try (LDAPConnection tls = startTls()) {
            tls.bind("uid=admin,ou=system", ADMIN_PASSWORD);
            assertThat(tls.getEntry(PEOPLE)).isNotNull();
        }
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() throws Exception {
        try (LDAPConnection admin = startTls()) {
            admin.bind("uid=admin,ou=system", ADMIN_PASSWORD);
            admin.add(new Entry("uid=enum-alice," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "enum-alice"),
                    new Attribute("sn", "A"), new Attribute("cn", "A"), new Attribute("userPassword", USER_PASSWORD)));
            admin.add(new Entry("uid=enum-nopw," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "enum-nopw"),
                    new Attribute("sn", "N"), new Attribute("cn", "N")));
        }
        Map<String, String> answers = new java.util.LinkedHashMap<>();
        for (String who : List.of("enum-alice", "enum-nobody", "enum-nopw")) {
            try (LDAPConnection tls = startTls()) {
                LDAPException refused = org.assertj.core.api.Assertions.catchThrowableOfType(LDAPException.class,
                        () -> tls.bind("uid=" + who + "," + PEOPLE, "not-the-password"));
                assertThat(refused).as("bind as %s with a wrong password", who).isNotNull();
                answers.put(who, refused.getResultCode().intValue() + " " + String.valueOf(refused.getDiagnosticMessage())
                        .replace("uid=" + who + "," + PEOPLE, "<dn>"));
            }
        }
        System.out.println("SecurityIT bind answers: " + answers);
        assertThat(answers.get("enum-alice")).startsWith("49 ");
        assertThat(answers.values()).as("answers to a wrong password for an existing user, an unknown user, a user without password")
                .containsOnly(answers.get("enum-alice"));
    }

    @Test
    void onlyTls12AndNewerAreNegotiatedOnLdapsAndStartTls() throws Exception {
        Path keystore = work.resolve("data/tls/selfsigned.p12");
        String password = Files.readString(work.resolve("data/tls/selfsigned.password")).strip();
        // this JVM set-up can speak TLS 1.0 and 1.1 at all: refusals below come from grouprelay
        for (String legacy : List.of("TLSv1", "TLSv1.1")) {
            assertThat(probe("self", keystore.toString(), password, legacy)).as("self-test " + legacy).startsWith("OK " + legacy);
        }
        for (String mode : List.of("ldaps", "starttls")) {
            String port = String.valueOf(mode.equals("ldaps") ? ldapsPort : ldapPort);
            for (String legacy : List.of("TLSv1", "TLSv1.1")) {
                assertThat(probe(mode, "127.0.0.1", port, legacy)).as(mode + " with " + legacy).startsWith("FAIL");
            }
            for (String current : List.of("TLSv1.2", "TLSv1.3")) {
                assertThat(probe(mode, "127.0.0.1", port, current)).as(mode + " with " + current).isEqualTo("OK " + current);
            }
        }
    }

    private static String probe(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + legacyTls, "-cp",
                Path.of(TlsProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(), TlsProbe.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe %s finished", List.of(args)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return out.lines().filter(l -> l.startsWith("OK") || l.startsWith("FAIL")).findFirst().orElse(out);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it stops the server to read its shutdown log too
    void noSecretEverAppearsInOutputLogsAuditReportsOrDataFiles() throws Exception {
        try (LDAPConnection admin = startTls()) {
            admin.bind("uid=admin,ou=system", ADMIN_PASSWORD);
            admin.add(new Entry("uid=alice," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "alice"),
                    new Attribute("sn", "A"), new Attribute("cn", "A"), new Attribute("mail", "alice@example.org"),
                    new Attribute("userPassword", USER_PASSWORD)));
            admin.add(new Entry("cn=secret-team,ou=groups,dc=example,dc=org", new Attribute("objectClass", "groupOfNames"),
                    new Attribute("cn", "secret-team"), new Attribute("member", "cn=empty-membership-placeholder", "uid=alice," + PEOPLE)));
            admin.modify("uid=alice," + PEOPLE, new Modification(ModificationType.REPLACE, "userPassword", USER_PASSWORD + "-2"));
            // refused writes that carry a password: the answer must not echo it
            LDAPException refused = org.assertj.core.api.Assertions.catchThrowableOfType(LDAPException.class, () -> admin.modify(
                    "uid=nobody," + PEOPLE, new Modification(ModificationType.REPLACE, "userPassword", USER_PASSWORD + "-3")));
            assertThat(refused.getResultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT);
            outputs.add(refused.getMessage());
            refused = org.assertj.core.api.Assertions.catchThrowableOfType(LDAPException.class, () -> admin.add(new Entry(
                    "uid=bad," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "bad"),
                    new Attribute("userPassword", USER_PASSWORD + "-4"))));
            assertThat(refused.getResultCode()).isEqualTo(ResultCode.OBJECT_CLASS_VIOLATION);
            outputs.add(refused.getMessage());
            assertThat(admin.search(PEOPLE, SearchScope.SUB, "(uid=alice)", "userPassword").getSearchEntries().get(0)
                    .getAttributeValue("userPassword")).startsWith("{SSHA512}");
        }
        try (LDAPConnection keycloak = startTls()) {
            keycloak.bind("uid=keycloak,ou=services,dc=example,dc=org", KEYCLOAK_PASSWORD);
            assertThatThrownBy(() -> keycloak.bind("uid=keycloak,ou=services,dc=example,dc=org", KEYCLOAK_PASSWORD + "x"))
                    .isInstanceOf(LDAPException.class);
        }
        record Run(String what, String... args) {
        }
        Map<String, String> wrongDb = new HashMap<>(env);
        wrongDb.put("SEAFILE_DB_PASSWORD", WRONG_DB_PASSWORD);
        // check --email also writes the archived report and fails to mail it (nothing listens on the SMTP port)
        for (Run run : List.of(new Run("help", "--help"), new Run("check help", "check", "--help"),
                new Run("status", "status", "--config", "grouprelay.yaml"),
                new Run("check email", "check", "--config", "grouprelay.yaml", "--format", "json", "--email"))) {
            JarProcess.Result result = JarProcess.run(work, env, run.args());
            outputs.add(run.what() + ":\n" + result.output());
        }
        for (String command : List.of("check", "status")) {
            JarProcess.Result result = JarProcess.run(work, wrongDb, command, "--config", "grouprelay.yaml");
            assertThat(result.exitCode()).as(command + " with a wrong database password:%n" + result.output()).isNotZero();
            outputs.add(command + " with a wrong database password:\n" + result.output());
        }
        String serveLog = server.output();
        assertThat(server.terminate()).isIn(0, 143);
        outputs.add("serve:\n" + serveLog + server.output());
        server = null;
        assertThat(outputs.get(outputs.size() - 1)).contains("secret-team");

        List<String> secrets = List.of(ADMIN_PASSWORD, KEYCLOAK_PASSWORD, USER_PASSWORD, SMTP_PASSWORD, WRONG_DB_PASSWORD, seafile.db().password());
        List<String> leaks = new ArrayList<>();
        for (String text : outputs) {
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    leaks.add("output '" + text.lines().findFirst().orElse("") + "' contains " + secret);
                }
            }
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(work.resolve("data"))) {
            files = all.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                if (bytes.contains(secret)) {
                    leaks.add(work.relativize(file) + " contains " + secret);
                }
            }
        }
        System.out.printf("SecurityIT secrets: %d secrets, %d outputs, %d files in dataDir searched%n", secrets.size(), outputs.size(), files.size());
        assertThat(files).as("files in dataDir").anySatisfy(f -> assertThat(f.getFileName().toString()).isEqualTo("audit.jsonl"))
                .anySatisfy(f -> assertThat(f.toString()).contains("reports"));
        assertThat(leaks).as("places where a secret appears").isEmpty();
    }
}
