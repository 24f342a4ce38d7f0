package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.ADMIN_DN;
import static org.grouprelay.testing.TestDirectory.ADMIN_PASSWORD;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_DN;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_PASSWORD;

import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grouprelay.testing.LdapTools;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the Keycloak service account's directory password as docs/admin.md says, with OpenLDAP's own ldappasswd
 * and ldapmodify: the bootstrap LDIF set it from GROUPRELAY_KEYCLOAK_PASSWORD on the first start only, so a restart
 * keeps the rotated one.
 */
class ServiceAccountPasswordIT {
    static final String NEW_PASSWORD = "rotated-keycloak-password";

    @TempDir
    Path work;
    TestDirectory directory;

    @BeforeEach
    void start() throws Exception {
        LdapTools.assumeInstalled();
        directory = TestDirectory.create("").start();
    }

    @AfterEach
    void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void ldappasswdAsTheAdminSetsANewPasswordThatOutlivesARestart() throws Exception {
        Path adminPassword = secretFile("admin.pw", ADMIN_PASSWORD);
        Path newPassword = secretFile("keycloak.pw", NEW_PASSWORD);

        LdapTools.Result passwd = LdapTools.run(null, "ldappasswd", "-x", "-H", url(), "-D", ADMIN_DN, "-y", adminPassword.toString(),
                "-T", newPassword.toString(), KEYCLOAK_DN);

        assertThat(passwd.exitCode()).as(passwd.stderr()).isZero();
        assertThat(bindsAsKeycloak(NEW_PASSWORD)).isTrue();
        assertThat(bindsAsKeycloak(KEYCLOAK_PASSWORD)).isFalse();
        assertThat(storedPasswords()).singleElement().asString().startsWith("{SSHA512}");

        directory.stop(); // GROUPRELAY_KEYCLOAK_PASSWORD still holds the old one: the bootstrap LDIF is not loaded again
        directory.start();
        assertThat(bindsAsKeycloak(NEW_PASSWORD)).isTrue();
        assertThat(bindsAsKeycloak(KEYCLOAK_PASSWORD)).isFalse();
    }

    @Test
    void aSecondPasswordAddedWithLdapmodifyWorksBesideTheOldOneUntilLdappasswdReplacesBoth() throws Exception {
        Path newPassword = secretFile("keycloak.pw", NEW_PASSWORD);
        Path ldif = Files.writeString(work.resolve("add-password.ldif"), """
                dn: %s
                changetype: modify
                add: userPassword
                userPassword:< file://%s
                """.formatted(KEYCLOAK_DN, newPassword.toAbsolutePath())); // the value is read from the file, exactly
        Path adminPassword = secretFile("admin.pw", ADMIN_PASSWORD);

        LdapTools.Result add = LdapTools.run(ldif, "ldapmodify", "-x", "-H", url(), "-D", ADMIN_DN, "-y", adminPassword.toString());

        assertThat(add.exitCode()).as(add.stderr()).isZero();
        assertThat(bindsAsKeycloak(KEYCLOAK_PASSWORD)).as("the old password, which Keycloak still sends").isTrue();
        assertThat(bindsAsKeycloak(NEW_PASSWORD)).as("the new one, for Keycloak's updated bind credential").isTrue();
        assertThat(storedPasswords()).hasSize(2).allSatisfy(value -> assertThat(value).startsWith("{SSHA512}"));

        LdapTools.Result passwd = LdapTools.run(null, "ldappasswd", "-x", "-H", url(), "-D", ADMIN_DN, "-y", adminPassword.toString(),
                "-T", newPassword.toString(), KEYCLOAK_DN);

        assertThat(passwd.exitCode()).as(passwd.stderr()).isZero();
        assertThat(bindsAsKeycloak(KEYCLOAK_PASSWORD)).isFalse();
        assertThat(bindsAsKeycloak(NEW_PASSWORD)).isTrue();
        assertThat(storedPasswords()).hasSize(1);
    }

    @Test
    void theServiceAccountCannotChangeItsOwnPassword() throws Exception {
        LdapTools.Result passwd = LdapTools.run(null, "ldappasswd", "-x", "-H", url(), "-D", KEYCLOAK_DN, "-w", KEYCLOAK_PASSWORD,
                "-a", KEYCLOAK_PASSWORD, "-s", NEW_PASSWORD);

        assertThat(passwd.exitCode()).as(passwd.stdout() + passwd.stderr()).isNotZero();
        assertThat(passwd.stdout()).contains("Insufficient access (50)") // it reads its own entry, but may not change it
                .contains("may not modify uid=keycloak,ou=services,dc=example,dc=org");
        assertThat(bindsAsKeycloak(KEYCLOAK_PASSWORD)).isTrue();
        assertThat(bindsAsKeycloak(NEW_PASSWORD)).isFalse();
    }

    String url() {
        return "ldap://127.0.0.1:" + directory.ldapPort();
    }

    /** A password file as ldappasswd's -y and -T read it: the whole file is the password, so no newline at the end. */
    Path secretFile(String name, String secret) throws Exception {
        return Files.writeString(work.resolve(name), secret);
    }

    boolean bindsAsKeycloak(String password) throws Exception {
        LdapTools.Result whoami = LdapTools.run(null, "ldapwhoami", "-x", "-H", url(), "-D", KEYCLOAK_DN, "-w", password);
        return whoami.exitCode() == 0;
    }

    List<String> storedPasswords() throws Exception {
        try (LDAPConnection admin = directory.admin()) {
            return List.of(admin.getEntry(KEYCLOAK_DN, "userPassword").getAttributeValues("userPassword"));
        }
    }
}
