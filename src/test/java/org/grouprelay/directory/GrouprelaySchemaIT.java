package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.ADMIN_DN;
import static org.grouprelay.testing.TestDirectory.ADMIN_PASSWORD;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_DN;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_PASSWORD;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.LdapTools;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grouprelay's own schema: there from the first start, kept across restarts, added to a directory created before it
 * existed; and the values admins write with OpenLDAP's ldapmodify, refused with one line when wrong.
 */
class GrouprelaySchemaIT {
    @TempDir
    Path work;

    static Schema schema(TestDirectory directory) throws Exception {
        try (LDAPConnection admin = directory.admin()) {
            return admin.getSchema();
        }
    }

    static void assertHasTheSchema(TestDirectory directory) throws Exception {
        Schema schema = schema(directory);
        assertThat(schema.getObjectClass("grouprelayExpiringGroup")).isNotNull();
        assertThat(schema.getObjectClass("grouprelayExpiringGroup").getOID()).startsWith(GrouprelaySchema.ARC + ".2.");
        assertThat(schema.getAttributeType("grouprelayMembershipDays").isSingleValued()).isTrue();
        assertThat(schema.getAttributeType("grouprelayNotifyDays").isSingleValued()).isTrue();
        assertThat(schema.getAttributeType("grouprelayMemberExpiry").isSingleValued()).isFalse();
        assertThat(schema.getAttributeType("grouprelayMemberExpiry").getOID()).startsWith(GrouprelaySchema.ARC + ".1.");
    }

    @Test
    void aNewDirectoryHasItARestartKeepsItAndAnOlderDirectoryGetsIt() throws Exception {
        try (TestDirectory directory = TestDirectory.create(LdapFixtures.people("alice"), work)) {
            directory.start();
            assertHasTheSchema(directory);
            try (LDAPConnection admin = directory.admin()) {
                LdapFixtures.createGroup(admin, "kept", "alice");
                admin.modify("cn=kept," + GROUPS, new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.ADD,
                        "objectClass", "grouprelayExpiringGroup"), new com.unboundid.ldap.sdk.Modification(
                        com.unboundid.ldap.sdk.ModificationType.ADD, "grouprelayMemberExpiry", "20300101000000Z uid=alice,ou=people,dc=example,dc=org"));
            }
            directory.stop();
            directory.start();
            assertHasTheSchema(directory);
            try (LDAPConnection admin = directory.admin()) {
                assertThat(admin.getEntry("cn=kept," + GROUPS, "grouprelayMemberExpiry").getAttributeValue("grouprelayMemberExpiry"))
                        .isEqualTo("20300101000000Z uid=alice,ou=people,dc=example,dc=org");
            }
        }
        try (TestDirectory older = TestDirectory.create("", work)) {
            older.start();
            older.stop();
            // a directory made by a release without the schema: its schema partition has no cn=grouprelay
            Path schemaDir = older.config().dataDir().resolve("partitions/schema/ou=schema");
            deleteRecursively(schemaDir.resolve("cn=grouprelay"));
            Files.delete(schemaDir.resolve("cn=grouprelay.ldif"));
            older.start();
            assertHasTheSchema(older);
        }
    }

    @Test
    void ldapmodifyAnswersAWrongValueWithResult21AndOneLineSayingWhy() throws Exception {
        LdapTools.assumeInstalled();
        try (TestDirectory directory = TestDirectory.create(LdapFixtures.people("alice", "bob"), work)) {
            directory.start();
            try (LDAPConnection admin = directory.admin()) {
                LdapFixtures.createGroup(admin, "team", "alice");
            }
            String url = "ldap://127.0.0.1:" + directory.ldapPort();
            Path good = Files.writeString(work.resolve("good.ldif"), """
                    dn: cn=team,ou=groups,dc=example,dc=org
                    changetype: modify
                    add: objectClass
                    objectClass: grouprelayExpiringGroup
                    -
                    add: grouprelayMemberExpiry
                    grouprelayMemberExpiry: 20270131000000Z uid=alice,ou=people,dc=example,dc=org
                    -
                    """);
            LdapTools.Result added = LdapTools.run(good, "ldapmodify", "-x", "-H", url, "-D", KEYCLOAK_DN, "-w", KEYCLOAK_PASSWORD);
            assertThat(added.exitCode()).as(added.stderr()).isZero();

            Path notMember = Files.writeString(work.resolve("not-member.ldif"), """
                    dn: cn=team,ou=groups,dc=example,dc=org
                    changetype: modify
                    add: grouprelayMemberExpiry
                    grouprelayMemberExpiry: 20270131000000Z uid=bob,ou=people,dc=example,dc=org
                    -
                    """);
            LdapTools.Result refused = LdapTools.run(notMember, "ldapmodify", "-x", "-H", url, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD);
            assertThat(refused.exitCode()).isEqualTo(21);
            assertThat(refused.stderr()).contains("Invalid syntax (21)").contains("additional info: modify cn=team,ou=groups,dc=example,dc=org: "
                    + "grouprelayMemberExpiry: '20270131000000Z uid=bob,ou=people,dc=example,dc=org' names uid=bob,ou=people,dc=example,dc=org,"
                    + " which is not a member of cn=team,ou=groups,dc=example,dc=org; add the member first");

            Path malformed = Files.writeString(work.resolve("malformed.ldif"), """
                    dn: cn=team,ou=groups,dc=example,dc=org
                    changetype: modify
                    replace: grouprelayMemberExpiry
                    grouprelayMemberExpiry: 31.01.2027 uid=alice,ou=people,dc=example,dc=org
                    -
                    """);
            LdapTools.Result bad = LdapTools.run(malformed, "ldapmodify", "-x", "-H", url, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD);
            assertThat(bad.exitCode()).isEqualTo(21);
            assertThat(bad.stderr()).contains("is not '<GeneralizedTime> <member DN>'");
            assertThat(bad.stderr().lines().filter(l -> l.contains("additional info"))).hasSize(1);
        }
    }

    static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
