package org.grouprelay.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.directory.api.ldap.model.constants.LdapSecurityConstants;
import org.apache.directory.api.ldap.model.password.PasswordUtil;
import org.grouprelay.Main;
import org.grouprelay.config.Environment;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code grouprelay export} while clients write, and {@code import} of that file into an empty
 * directory: a backup and its restore, online. Each writer adds a person to its group A, then to its
 * group B; in one point in time B's members are A's, or A's but the last. A's and B's entries lie
 * 1,200 entries apart, so an export that read them at different times would show it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExportImportIT {
    private static final int WRITERS = 4;
    private static final int PEOPLE = 1200;

    static TestDirectory source;
    static TestDirectory restored;
    static Path sourceConfig;
    static Path restoredConfig;
    static Path backup;

    @BeforeAll
    static void start() throws Exception {
        StringBuilder ldif = new StringBuilder();
        for (int i = 0; i < WRITERS; i++) {
            ldif.append(group("a" + i));
        }
        for (int p = 0; p < PEOPLE; p++) {
            ldif.append("""

                    dn: uid=p%1$04d,ou=people,dc=example,dc=org
                    objectClass: inetOrgPerson
                    uid: p%1$04d
                    cn: p%1$04d
                    sn: p%1$04d
                    userPassword: p%1$04d-password
                    """.formatted(p));
        }
        for (int i = 0; i < WRITERS; i++) {
            ldif.append(group("b" + i));
        }
        source = TestDirectory.create(ldif.toString()).startDirectoryOnly();
        restored = TestDirectory.create("").startDirectoryOnly();
        sourceConfig = config(source);
        restoredConfig = config(restored);
        backup = source.home().resolve("backup.ldif");
    }

    private static String group(String cn) {
        return """

                dn: cn=%s,ou=groups,dc=example,dc=org
                objectClass: groupOfNames
                cn: %1$s
                member: uid=p0000,ou=people,dc=example,dc=org
                """.formatted(cn);
    }

    private static Path config(TestDirectory directory) throws Exception {
        Path file = ConfigYaml.of(directory).writeTo(directory.home().resolve("grouprelay.yaml"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        if (restored != null) {
            restored.close();
        }
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment env = new Environment(Map.of(ConfigYaml.ADMIN_PASSWORD_VARIABLE, TestDirectory.ADMIN_PASSWORD,
                ConfigYaml.KEYCLOAK_PASSWORD_VARIABLE, TestDirectory.KEYCLOAK_PASSWORD));
        int code = Main.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @Order(1)
    void anExportWhileFourClientsWriteIsOnePointInTime() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writes = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int writer = i;
            Thread thread = new Thread(() -> {
                try (LDAPConnection ldap = source.admin()) {
                    for (int p = 1; p < PEOPLE && !stop.get(); p++) {
                        Modification add = new Modification(ModificationType.ADD, "member", "uid=p%04d,%s".formatted(p, TestDirectory.PEOPLE));
                        ldap.modify("cn=a" + writer + "," + TestDirectory.GROUPS, add);
                        ldap.modify("cn=b" + writer + "," + TestDirectory.GROUPS, add);
                        writes.addAndGet(2);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "writer-" + i);
            thread.start();
            writers.add(thread);
        }
        Run export;
        int writesBefore;
        try {
            Waits.until(Duration.ofSeconds(60), () -> writes.get() >= 100);
            writesBefore = writes.get();
            export = cli("export", "--config", sourceConfig.toString(), "--output", backup.toString());
            int afterExport = writes.get();
            Waits.until(Duration.ofSeconds(60), () -> writes.get() >= afterExport + 40);
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        assertThat(failures).isEmpty();
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.err()).contains("exported", "from the running directory at ldap://127.0.0.1:" + source.ldapPort());
        assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Map<String, Map<String, Set<String>>> entries = entries(Files.readString(backup));
        int exported = 0;
        for (int i = 0; i < WRITERS; i++) {
            Set<String> a = entries.get(("cn=a" + i + "," + TestDirectory.GROUPS).toLowerCase(Locale.ROOT)).get("member");
            Set<String> b = entries.get(("cn=b" + i + "," + TestDirectory.GROUPS).toLowerCase(Locale.ROOT)).get("member");
            assertThat(a).as("writer %d: B's members are A's", i).containsAll(b);
            assertThat(a.size() - b.size()).as("writer %d: A is at most one ahead of B", i).isBetween(0, 1);
            exported += a.size() - 1 + b.size() - 1;
        }
        assertThat(exported).as("the export saw the writes made before it").isGreaterThanOrEqualTo(writesBefore);
        assertThat(entries).containsKey(("uid=p0001," + TestDirectory.PEOPLE).toLowerCase(Locale.ROOT));
        assertThat(entries.get(("uid=p0001," + TestDirectory.PEOPLE).toLowerCase(Locale.ROOT)).get("userpassword"))
                .allMatch(hash -> hash.startsWith("{SSHA512}"));
        assertThat(entries.get("cn=keycloak-people,dc=example,dc=org")).as("the access-control subentries travel too")
                .containsKey("prescriptiveaci");
        List<String> order = Files.readAllLines(backup).stream().filter(l -> l.startsWith("dn: ")).toList();
        assertThat(order.get(0)).isEqualTo("dn: " + TestDirectory.SUFFIX);
        assertThat(order.indexOf("dn: " + TestDirectory.PEOPLE)).isLessThan(order.indexOf("dn: uid=p0000," + TestDirectory.PEOPLE));
    }

    @Test
    @Order(2)
    void theExportImportsIntoAnEmptyDirectoryAndEqualsIt() throws Exception {
        Run imported = cli("import", "--config", restoredConfig.toString(), backup.toString());

        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("created " + (PEOPLE + 2 * WRITERS) + ",");
        Path again = restored.home().resolve("restored.ldif");
        assertThat(cli("export", "--config", restoredConfig.toString(), "--output", again.toString()).exitCode()).isZero();
        Map<String, Map<String, Set<String>>> original = comparable(entries(Files.readString(backup)));
        Map<String, Map<String, Set<String>>> copy = comparable(entries(Files.readString(again)));
        assertThat(copy).isEqualTo(original);

        Run second = cli("import", "--config", restoredConfig.toString(), backup.toString());
        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).contains("imported: created 0, changed 0,");
        try (LDAPConnection user = new LDAPConnection("127.0.0.1", restored.ldapPort(), "uid=p0042," + TestDirectory.PEOPLE,
                "p0042-password")) {
            assertThat(user.isConnected()).isTrue();
        }
    }

    @Test
    @Order(3)
    void hashesOfEverySchemeTheDirectoryVerifiesAreKeptAndBind() throws Exception {
        List<LdapSecurityConstants> schemes = List.of(LdapSecurityConstants.HASH_METHOD_SSHA256, LdapSecurityConstants.HASH_METHOD_SSHA384,
                LdapSecurityConstants.HASH_METHOD_SSHA512, LdapSecurityConstants.HASH_METHOD_SHA256,
                LdapSecurityConstants.HASH_METHOD_SHA384, LdapSecurityConstants.HASH_METHOD_SHA512,
                LdapSecurityConstants.HASH_METHOD_PKCS5S2, LdapSecurityConstants.HASH_METHOD_CRYPT,
                LdapSecurityConstants.HASH_METHOD_SMD5, LdapSecurityConstants.HASH_METHOD_MD5, LdapSecurityConstants.HASH_METHOD_SHA,
                LdapSecurityConstants.HASH_METHOD_CRYPT_MD5, LdapSecurityConstants.HASH_METHOD_CRYPT_SHA256,
                LdapSecurityConstants.HASH_METHOD_CRYPT_SHA512, LdapSecurityConstants.HASH_METHOD_CRYPT_BCRYPT);
        StringBuilder ldif = new StringBuilder("dn: dc=example,dc=org\nobjectClass: domain\ndc: example\n");
        for (LdapSecurityConstants scheme : schemes) {
            String uid = "h-" + scheme.name().toLowerCase(Locale.ROOT).replace("hash_method_", "").replace("_", "-");
            ldif.append("\ndn: uid=").append(uid).append(",").append(TestDirectory.PEOPLE).append("\nobjectClass: inetOrgPerson\nuid: ")
                    .append(uid).append("\ncn: ").append(uid).append("\nsn: ").append(uid).append("\nuserPassword: ")
                    .append(new String(PasswordUtil.createStoragePassword(uid + "-secret", scheme), StandardCharsets.UTF_8)).append('\n');
        }
        Path file = restored.home().resolve("hashes.ldif");
        Files.writeString(file, ldif);

        Run imported = cli("import", "--config", restoredConfig.toString(), file.toString());

        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("imported: created " + schemes.size() + ", changed 0,");
        for (LdapSecurityConstants scheme : schemes) {
            String uid = "h-" + scheme.name().toLowerCase(Locale.ROOT).replace("hash_method_", "").replace("_", "-");
            try (LDAPConnection user = new LDAPConnection("127.0.0.1", restored.ldapPort(), "uid=" + uid + "," + TestDirectory.PEOPLE,
                    uid + "-secret")) {
                assertThat(user.isConnected()).as(scheme.getName()).isTrue();
            }
        }
    }

    @Test
    @Order(4)
    void aStoppedDirectoryIsExportedFromItsDataDirectory() throws Exception {
        Path online = source.home().resolve("online.ldif");
        assertThat(cli("export", "--config", sourceConfig.toString(), "--output", online.toString()).exitCode()).isZero();
        source.stop();

        Run offline = cli("export", "--config", sourceConfig.toString());

        assertThat(offline.exitCode()).as(offline.err()).isZero();
        assertThat(offline.err()).contains("(serve is not running)");
        assertThat(withoutComments(offline.out())).isEqualTo(withoutComments(Files.readString(online)));
    }

    @Test
    @Order(5)
    void aDataDirectoryNeverStartedIsNamed() throws Exception {
        Path empty = Files.createTempDirectory("grouprelay-never-started-");
        Path config = ConfigYaml.of(empty.resolve("data"), TestDirectory.freePort()).writeTo(empty.resolve("grouprelay.yaml"));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));

        Run export = cli("export", "--config", config.toString());

        assertThat(export.exitCode()).isEqualTo(2);
        assertThat(export.err().strip()).startsWith("grouprelay: no directory answers at ldap://127.0.0.1:")
                .endsWith("holds no directory yet (serve has never started there)");
        org.grouprelay.testing.TempFiles.deleteRecursively(empty);
    }

    @Test
    @Order(6)
    void theEndsOfMembershipsMoveToTheNewSuffixWithTheirMembers() throws Exception {
        Path file = restored.home().resolve("expiring.ldif");
        Files.writeString(file, """
                dn: dc=example,dc=com
                objectClass: domain
                dc: example

                dn: uid=temp,ou=people,dc=example,dc=com
                objectClass: inetOrgPerson
                uid: temp
                cn: temp
                sn: temp

                dn: cn=interns,ou=groups,dc=example,dc=com
                objectClass: groupOfNames
                objectClass: grouprelayExpiringGroup
                cn: interns
                member: uid=temp,ou=people,dc=example,dc=com
                grouprelayMemberExpiry: 20991231000000Z uid=temp,ou=people,dc=example,dc=com
                """);

        Run imported = cli("import", "--config", restoredConfig.toString(), file.toString());

        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        try (LDAPConnection admin = restored.admin()) {
            assertThat(admin.getEntry("cn=interns," + TestDirectory.GROUPS, "grouprelayMemberExpiry")
                    .getAttributeValues("grouprelayMemberExpiry")).containsExactly("20991231000000Z uid=temp," + TestDirectory.PEOPLE);
        }
    }

    private static String withoutComments(String ldif) {
        return ldif.lines().filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
    }

    /** DN (lower case) to attribute (lower case) to values, as the file has them. */
    static Map<String, Map<String, Set<String>>> entries(String ldif) {
        Map<String, Map<String, Set<String>>> entries = new TreeMap<>();
        for (LdifRecords.Record record : LdifRecords.parse(ldif)) {
            Map<String, Set<String>> attributes = new TreeMap<>();
            record.values().forEach(v -> attributes.computeIfAbsent(v.attribute().toLowerCase(Locale.ROOT), k -> new TreeSet<>())
                    .add(v.attribute().equalsIgnoreCase("member") ? v.text().toLowerCase(Locale.ROOT) : v.text()));
            entries.put(record.dn().toLowerCase(Locale.ROOT), attributes);
        }
        return entries;
    }

    /**
     * Without what a restore cannot and need not keep: timestamps and who wrote, and the entryUUIDs of the entries the
     * empty directory had from its bootstrap LDIF (the directory's own stay; Keycloak links only the people).
     */
    private static Map<String, Map<String, Set<String>>> comparable(Map<String, Map<String, Set<String>>> entries) {
        Set<String> bootstrap = Set.of("dc=example,dc=org", "ou=people,dc=example,dc=org", "ou=groups,dc=example,dc=org",
                "ou=services,dc=example,dc=org", "uid=keycloak,ou=services,dc=example,dc=org", "cn=keycloak-people,dc=example,dc=org",
                "cn=keycloak-groups,dc=example,dc=org");
        Map<String, Map<String, Set<String>>> kept = new TreeMap<>();
        entries.forEach((dn, attributes) -> {
            Map<String, Set<String>> copy = new TreeMap<>(attributes);
            copy.keySet().removeAll(Set.of("createtimestamp", "modifytimestamp", "creatorsname", "modifiersname"));
            if (bootstrap.contains(dn)) {
                copy.remove("entryuuid");
            }
            kept.put(dn, copy);
        });
        return kept;
    }
}
