package org.grouprelay.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.RelayedDirectory;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.Slapd;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Moving from OpenLDAP: a real {@code slapd} holds users with password hashes of several schemes and
 * groups of the three kinds; its {@code slapcat} output is imported with the jar's {@code import}
 * into a running grouprelay that relays to a real MariaDB (Seafile's ccnet tables).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportFromOpenLdapIT {
    /** Users and their passwords; each gets a hash of another scheme in slapd. */
    private static final Map<String, String> PASSWORDS = new TreeMap<>(Map.of("alice", "alice-pw", "bob", "bob-pw", "carol",
            "carol-pw", "dave", "dave-pw", "erin", "erin-pw"));

    @RegisterExtension
    static final RelayedDirectory SETUP = RelayedDirectory.of(List.of(), List.of("alice", "bob", "carol", "dave", "erin"),
            Relaying.relayMode().adopt(true));
    static Slapd slapd;
    static Path config;
    static Path slapcat;
    static Map<String, String> slapdUuids = new TreeMap<>();
    /** A group Seafile already has, of the same name as one in OpenLDAP: seafile.adopt links it. */
    static long existingStaff;

    @BeforeAll
    static void exportFromOpenLdap() throws Exception {
        slapd = Slapd.start(Files.createTempDirectory("slapd-"));
        StringBuilder ldif = new StringBuilder("""
                dn: dc=example,dc=com
                objectClass: dcObject
                objectClass: organization
                dc: example
                o: Example

                dn: ou=people,dc=example,dc=com
                objectClass: organizationalUnit
                ou: people

                dn: ou=groups,dc=example,dc=com
                objectClass: organizationalUnit
                ou: groups
                """);
        Map<String, String> hashes = Map.of(
                "alice", Slapd.hash(PASSWORDS.get("alice"), "{SSHA}", null),
                "bob", Slapd.hash(PASSWORDS.get("bob"), "{CRYPT}", "$6$%.16s"),
                "carol", Slapd.hash(PASSWORDS.get("carol"), "{CRYPT}", "$1$%.8s"),
                "dave", Slapd.hash(PASSWORDS.get("dave"), "{CRYPT}", "$5$%.16s"),
                "erin", Slapd.hash(PASSWORDS.get("erin"), "{SHA}", null));
        for (String user : PASSWORDS.keySet()) {
            ldif.append(person(user, hashes.get(user)));
        }
        ldif.append("""

                dn: uid=frank,ou=people,dc=example,dc=com
                objectClass: inetOrgPerson
                objectClass: posixAccount
                uid: frank
                cn: frank
                sn: frank
                uidNumber: 1006
                gidNumber: 1006
                homeDirectory: /home/frank
                userPassword: {ARGON2}$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g

                dn: cn=staff,ou=groups,dc=example,dc=com
                objectClass: groupOfNames
                cn: staff
                member: uid=alice,ou=people,dc=example,dc=com
                member: uid=bob,ou=people,dc=example,dc=com

                dn: cn=ops,ou=groups,dc=example,dc=com
                objectClass: groupOfUniqueNames
                cn: ops
                uniqueMember: uid=carol,ou=people,dc=example,dc=com
                uniqueMember: uid=dave,ou=people,dc=example,dc=com#'0101'B

                dn: cn=dev,ou=groups,dc=example,dc=com
                objectClass: posixGroup
                cn: dev
                gidNumber: 5000
                memberUid: alice
                memberUid: erin
                memberUid: ghost

                dn: cn=empty,ou=groups,dc=example,dc=com
                objectClass: posixGroup
                cn: empty
                gidNumber: 5001
                """);
        slapd.add(ldif.toString());
        slapcat = SETUP.directory().home().resolve("slapcat.ldif");
        Files.writeString(slapcat, slapd.slapcat());
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", slapd.port(), Slapd.ROOT_DN, Slapd.ROOT_PASSWORD)) {
            for (SearchResultEntry entry : ldap.search(Slapd.SUFFIX, SearchScope.SUB, "(objectClass=*)", "entryUUID").getSearchEntries()) {
                slapdUuids.put(entry.getDN().toLowerCase().replace("dc=com", "dc=org"), entry.getAttributeValue("entryUUID"));
            }
        }
        SETUP.seafile().update(EmbeddedSeafileDb.CCNET,
                "INSERT INTO `Group` (group_name, creator_name, timestamp, parent_group_id) VALUES ('staff', 'carol@example.org', 1, 0)");
        existingStaff = ((Number) SETUP.seafile().groups().get(0).get("group_id")).longValue();
        config = SETUP.writeConfig("import.yaml", SETUP.configYaml());
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    static void stopSlapd() {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static String person(String uid, String hash) {
        return """

                dn: uid=%1$s,ou=people,dc=example,dc=com
                objectClass: inetOrgPerson
                objectClass: posixAccount
                uid: %1$s
                cn: %1$s
                sn: %1$s
                mail: %1$s@example.org
                uidNumber: %2$d
                gidNumber: %2$d
                homeDirectory: /home/%1$s
                userPassword: %3$s
                """.formatted(uid, 1000 + uid.charAt(0), hash);
    }

    @Test
    @Order(1)
    void aDryRunSaysWhatWouldHappenAndWritesNothing() throws Exception {
        JarProcess.Result dry = SETUP.run(config, "import", slapcat.toString(), "--dry-run");

        assertThat(dry.exitCode()).as(dry.output()).isEqualTo(1);
        assertThat(dry.output()).contains("would create uid=alice,ou=people,dc=example,dc=org",
                "would create cn=dev,ou=groups,dc=example,dc=org",
                "posixGroup mapped to groupOfNames: 2 memberUid values became member",
                "memberUid ghost: no entry with that uid in the file",
                "groupOfUniqueNames mapped to groupOfNames: 2 uniqueMember values became member",
                "userPassword in scheme {ARGON2} cannot be verified by grouprelay",
                "objectClass posixAccount not in grouprelay's schema",
                "dry run, nothing written");
        try (LDAPConnection admin = SETUP.directory().admin()) {
            assertThat(admin.search(TestDirectory.PEOPLE, SearchScope.ONE, "(objectClass=*)").getEntryCount()).isZero();
        }
        assertThat(SETUP.seafile().groups()).hasSize(1);
    }

    @Test
    @Order(2)
    void importKeepsPasswordsAndEntryUuidsAndRelaysTheGroups() throws Exception {
        JarProcess.Result imported = SETUP.run(config, "import", slapcat.toString());

        assertThat(imported.exitCode()).as(imported.output()).isEqualTo(1);
        assertThat(imported.output()).contains("imported: created 10, changed 0, unchanged 2,", "dc=example,dc=com -> dc=example,dc=org");
        for (Map.Entry<String, String> user : PASSWORDS.entrySet()) {
            try (LDAPConnection bound = new LDAPConnection("127.0.0.1", SETUP.directory().ldapPort(),
                    "uid=" + user.getKey() + "," + TestDirectory.PEOPLE, user.getValue())) {
                assertThat(bound.isConnected()).as(user.getKey()).isTrue();
            }
        }
        try (LDAPConnection admin = SETUP.directory().admin()) {
            for (SearchResultEntry entry : admin.search(TestDirectory.SUFFIX, SearchScope.SUB,
                    "(|(objectClass=inetOrgPerson)(objectClass=groupOfNames))", "entryUUID").getSearchEntries()) {
                assertThat(entry.getAttributeValue("entryUUID")).as(entry.getDN())
                        .isEqualTo(slapdUuids.get(entry.getDN().toLowerCase()));
            }
            assertThat(admin.getEntry("uid=frank," + TestDirectory.PEOPLE, "userPassword").hasAttribute("userPassword")).isFalse();
            assertThat(admin.getEntry("cn=empty," + TestDirectory.GROUPS).getAttributeValues("member"))
                    .containsExactly("cn=empty-membership-placeholder");
        }
        // the group creator (seafile.groupCreator) is a member of every group grouprelay created; staff was adopted
        assertThat(SETUP.seafile().groups()).filteredOn(g -> g.get("group_name").equals("staff"))
                .extracting(g -> ((Number) g.get("group_id")).longValue()).containsExactly(existingStaff);
        assertThat(seafileGroups()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "staff", List.of("alice@example.org", "bob@example.org"),
                "ops", List.of("admin@example.org", "carol@example.org", "dave@example.org"),
                "dev", List.of("admin@example.org", "alice@example.org", "erin@example.org"),
                "empty", List.of("admin@example.org")));
    }

    @Test
    @Order(3)
    void aSecondImportOfTheSameFileChangesNothing() throws Exception {
        Map<String, List<String>> before = seafileGroups();

        JarProcess.Result again = SETUP.run(config, "import", slapcat.toString());

        assertThat(again.output()).contains("imported: created 0, changed 0, unchanged 12,");
        assertThat(seafileGroups()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void aBadLineIsNamedInOneLine() throws Exception {
        Path bad = SETUP.directory().home().resolve("bad.ldif");
        Files.writeString(bad, "version: 1\n\ndn: uid=x,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nsn x\n");

        JarProcess.Result result = SETUP.run(config, "import", bad.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output().strip()).isEqualTo("grouprelay: " + bad + ": line 5: expected \"attribute: value\", found \"sn x\"");
    }

    private static Map<String, List<String>> seafileGroups() {
        Map<String, List<String>> groups = new TreeMap<>();
        for (Map<String, Object> group : SETUP.seafile().groups()) {
            groups.put((String) group.get("group_name"), SETUP.seafile().groupUsers(((Number) group.get("group_id")).longValue()));
        }
        return groups;
    }

}
