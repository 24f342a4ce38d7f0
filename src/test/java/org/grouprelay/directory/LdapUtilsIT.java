package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.*;

import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grouprelay.testing.LdapTools;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Admins edit the directory with OpenLDAP's own ldapmodify and ldapsearch. */
class LdapUtilsIT {
    @RegisterExtension
    static final PerClass<TestDirectory> DIRECTORY = PerClass.of(() -> TestDirectory.create("").start());

    @TempDir
    Path work;

    static TestDirectory directory() {
        return DIRECTORY.get();
    }

    @BeforeEach
    void tools() {
        LdapTools.assumeInstalled();
    }

    String url() {
        return "ldap://127.0.0.1:" + directory().ldapPort();
    }

    /** ldapmodify as the Keycloak service account, with the changes in {@code ldif}. */
    LdapTools.Result ldapmodify(Path ldif) throws Exception {
        return LdapTools.run(ldif, "ldapmodify", "-x", "-H", url(), "-D", KEYCLOAK_DN, "-w", KEYCLOAK_PASSWORD);
    }

    @Test
    void ldapwhoamiAnswersForEveryKindOfAccountOverEveryTransport() throws Exception {
        try (LDAPConnection admin = directory().admin()) {
            admin.add(new com.unboundid.ldap.sdk.Entry("uid=walter,ou=people,dc=example,dc=org",
                    new com.unboundid.ldap.sdk.Attribute("objectClass", "inetOrgPerson"), new com.unboundid.ldap.sdk.Attribute("uid", "walter"),
                    new com.unboundid.ldap.sdk.Attribute("sn", "W"), new com.unboundid.ldap.sdk.Attribute("cn", "Walter"),
                    new com.unboundid.ldap.sdk.Attribute("userPassword", "walters-secret")));
        }
        String ldaps = "ldaps://127.0.0.1:" + directory().ldapsPort();
        for (String[] transport : new String[][] {{"-H", url()}, {"-H", url(), "-ZZ"}, {"-H", ldaps}}) {
            assertThat(whoami(transport, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD)).isEqualTo("dn:uid=admin,ou=system");
            assertThat(whoami(transport, "-D", KEYCLOAK_DN, "-w", KEYCLOAK_PASSWORD)).isEqualToIgnoringCase("dn:" + KEYCLOAK_DN);
            assertThat(whoami(transport, "-D", "uid=walter,ou=people,dc=example,dc=org", "-w", "walters-secret"))
                    .isEqualToIgnoringCase("dn:uid=walter,ou=people,dc=example,dc=org");
        }
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", directory().ldapPort())) {
            com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult result = (com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult)
                    anonymous.processExtendedOperation(new com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest());
            assertThat(result.getResultCode()).isEqualTo(com.unboundid.ldap.sdk.ResultCode.SUCCESS);
            assertThat(result.getAuthorizationID()).isNullOrEmpty(); // RFC 4532: anonymous is the empty identity (the codec sends no value for it)
        }
        try (LDAPConnection keycloak = directory().keycloak()) {
            com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult result = (com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult)
                    keycloak.processExtendedOperation(new com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest());
            assertThat(result.getAuthorizationID()).isEqualToIgnoringCase("dn:" + KEYCLOAK_DN);
        }
    }

    /** ldapwhoami's answer (its one output line), with {@code transport} and {@code bind} arguments. */
    String whoami(String[] transport, String... bind) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("ldapwhoami", "-x"));
        command.addAll(java.util.List.of(transport));
        command.addAll(java.util.List.of(bind));
        LdapTools.Result result = LdapTools.run(null, command.toArray(String[]::new));
        assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.stderr()).isZero();
        return result.stdout().strip();
    }

    @Test
    void anLdifChangeFileIsAppliedAndReadBack() throws Exception {
        Path change = Files.writeString(work.resolve("change.ldif"), """
                dn: uid=erin,ou=people,dc=example,dc=org
                changetype: add
                objectClass: inetOrgPerson
                uid: erin
                sn: Example
                cn: Erin Example
                mail: erin@example.org

                dn: cn=ops,ou=groups,dc=example,dc=org
                changetype: add
                objectClass: groupOfNames
                cn: ops
                member: cn=empty-membership-placeholder

                dn: cn=ops,ou=groups,dc=example,dc=org
                changetype: modify
                add: member
                member: uid=erin,ou=people,dc=example,dc=org
                """);
        LdapTools.Result modify = ldapmodify(change);
        assertThat(modify.exitCode()).as(modify.stderr()).isZero();
        assertThat(modify.stdout()).contains("adding new entry \"uid=erin,ou=people,dc=example,dc=org\"",
                "modifying entry \"cn=ops,ou=groups,dc=example,dc=org\"");

        LdapTools.Result search = LdapTools.run(null, "ldapsearch", "-x", "-LLL", "-H", url(), "-D", KEYCLOAK_DN, "-w", KEYCLOAK_PASSWORD,
                "-b", GROUPS, "(member=uid=erin,ou=people,dc=example,dc=org)", "cn", "entryUUID");
        assertThat(search.exitCode()).as(search.stderr()).isZero();
        assertThat(search.stdout()).contains("dn: cn=ops,ou=groups,dc=example,dc=org", "cn: ops").containsPattern("entryUUID: [0-9a-f-]{36}");
    }

    @Test
    void aBrokenLdifGivesAClearErrorAndLeavesTheDirectoryUnharmed() throws Exception {
        Path broken = Files.writeString(work.resolve("broken.ldif"), """
                dn: cn=half,ou=groups,dc=example,dc=org
                changetype: add
                objectClass: groupOfNames
                cn: half
                member: cn=empty-membership-placeholder

                dn: cn=half,ou=groups,dc=example,dc=org
                changetype: modify
                add: member
                member: this is not a DN
                """);
        LdapTools.Result modify = ldapmodify(broken);
        assertThat(modify.exitCode()).isNotZero();
        assertThat(modify.stderr()).containsIgnoringCase("invalid").contains("member");

        Path noObjectClass = Files.writeString(work.resolve("schema.ldif"), """
                dn: uid=nobody,ou=people,dc=example,dc=org
                changetype: add
                uid: nobody
                """);
        LdapTools.Result schema = ldapmodify(noObjectClass);
        assertThat(schema.exitCode()).isNotZero();
        assertThat(schema.stderr()).isNotBlank();

        try (LDAPConnection admin = directory().admin()) {
            // the valid first record applied; the invalid value did not; nothing else changed
            assertThat(admin.getEntry("cn=half," + GROUPS).getAttributeValues("member")).containsExactly("cn=empty-membership-placeholder");
            assertThat(admin.getEntry("uid=nobody," + PEOPLE)).isNull();
            assertThat(admin.getEntry(PEOPLE)).isNotNull();
            admin.delete("cn=half," + GROUPS);
        }
    }
}
