package org.grouprelay.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.grouprelay.config.KeycloakConfig;
import org.grouprelay.config.Secret;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.KeycloakRealmAdmin;
import org.grouprelay.testing.KeycloakServer;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TempFiles;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real Keycloak 26 federates to grouprelay (LDAP provider WRITABLE, group mapper LDAP_ONLY, configured by
 * {@code grouprelay keycloak-setup} through the admin REST API); every step drives Keycloak's admin API and
 * asserts Seafile's tables in a real MariaDB. Seafile accounts are what seahub's OIDC login creates: virtual ids
 * linked by {@code social_auth_usersocialauth} (provider {@code keycloak}, uid = Keycloak's
 * {@code preferred_username}), mapped by grouprelay's {@code social-auth} strategy on the directory's {@code uid}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakE2EIT {
    static final String REALM = "demo";
    static final String PROVIDER = "keycloak";
    static final String SECRET = "follower-secret-e2e";
    static final String LOGIN_CLIENT = "e2e-login";
    static final Map<String, String> PASSWORDS = Map.of("alice", "alice-pw-1", "bob", "bob-pw-1", "carol", "carol-pw-1",
            "erin", "erin-pw-1", "frank", "frank-pw-1");

    static Path home;
    static KeycloakServer keycloak;
    static TestSeafile seafile;
    static TestDirectory directory;
    static KeycloakRealmAdmin realm;
    static final Map<String, String> seafileIds = new LinkedHashMap<>();
    static String ldapComponentId;
    static String groupMapperId;
    static final E2EFigures figures = new E2EFigures(() -> seafileGroups().toString());

    @BeforeAll
    static void start() throws Exception {
        Optional<String> unavailable = KeycloakServer.unavailable();
        if (unavailable.isPresent()) {
            String message = "Keycloak end-to-end test skipped: " + unavailable.get();
            Assertions.assertNotEquals("1", System.getenv("GROUPRELAY_REQUIRE_KEYCLOAK"), message + " (GROUPRELAY_REQUIRE_KEYCLOAK=1)");
            Assumptions.abort(message);
        }
        home = Files.createTempDirectory("grouprelay-keycloak-e2e-");
        Path log = Path.of(System.getProperty("grouprelay.home", ".")).resolve("target/keycloak-e2e.log");
        Files.deleteIfExists(log);
        keycloak = KeycloakServer.start(home.resolve("keycloak"), log);
        // MariaDB and the directory start while Keycloak boots
        seafile = TestSeafile.start();
        StringBuilder people = new StringBuilder();
        PASSWORDS.forEach((name, password) -> people.append("""

                dn: uid=%1$s,ou=people,dc=example,dc=org
                objectClass: inetOrgPerson
                objectClass: organizationalPerson
                uid: %1$s
                sn: %1$s
                cn: %1$s
                mail: %1$s@example.org
                userPassword: %2$s
                """.formatted(name, password)));
        directory = TestDirectory.create(people.toString())
                .relayingTo(seafile, Relaying.relayMode().users(new MappingRule(Strategy.SOCIAL_AUTH, PROVIDER, "uid")));
        for (String name : List.of("alice", "bob", "carol", "erin", "frank", "dave")) {
            seafileAccount(name);
        }
        seafile.db().seedUser("admin@example.org", true);
        figures.keycloakStartup = keycloak.awaitReady(Duration.ofMinutes(3));
        realm = new KeycloakRealmAdmin(keycloak, REALM);
        directory.following(new KeycloakConfig(URI.create(keycloak.url()), REALM, "grouprelay", new Secret(SECRET), Duration.ofSeconds(1)));
        setUpRealm();
        directory.start();
    }

    /** What seahub's first OIDC login writes: a virtual id, and the (provider, uid) row linking it. */
    static void seafileAccount(String name) {
        String vid = HexFormat.of().formatHex((name + "-seafile-virtual-id-0123456").getBytes(), 0, 16) + "@auth.local";
        seafile.db().seedUser(vid, true);
        seafile.db().seedSocialAuth(vid, PROVIDER, name);
        seafileIds.put(name, vid);
    }

    /** keycloak-setup from the command line, as an operator runs it, then a public client for password logins. */
    static void setUpRealm() throws Exception {
        String out = keycloakSetup(TestDirectory.KEYCLOAK_PASSWORD);
        assertThat(out).contains("LDAP provider 'grouprelay': created", "group mapper 'groups': created",
                "service account has view-events, view-realm, query-groups, view-users");
        JsonNode ldap = realm.http().get(realm.path("/components?type=" + KeycloakSetup.LDAP_PROVIDER + "&name=grouprelay")).get(0);
        ldapComponentId = ldap.path("id").asText();
        assertThat(ldap.path("config").path("editMode").get(0).asText()).isEqualTo("WRITABLE");
        groupMapperId = realm.http().get(realm.path("/components?parent=" + ldapComponentId + "&type=" + KeycloakSetup.LDAP_MAPPER
                + "&name=groups")).get(0).path("id").asText();
        realm.createPasswordLoginClient(LOGIN_CLIENT);
    }

    /** {@code grouprelay keycloak-setup} with {@code bindPassword} as the service account's directory password; its output. */
    static String keycloakSetup(String bindPassword) throws Exception {
        return KeycloakServer.setupCommand(home.resolve("grouprelay.yaml"), ConfigYaml.of(directory).seafileSql(seafile), keycloak,
                REALM, SECRET, bindPassword);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (directory != null) {
                directory.close();
            }
            if (seafile != null) {
                seafile.close();
            }
            if (keycloak != null) {
                keycloak.close();
            }
        } finally {
            if (home != null) {
                TempFiles.deleteRecursively(home);
            }
        }
        figures.report();
    }

    // ---- the scenario -------------------------------------------------------------------------------

    @Test
    @Order(1)
    void createGroupAndFirstMember() throws Exception {
        realm.createGroup("devs", null);
        assertThat(seafileGroups()).doesNotContainKey("devs"); // Keycloak writes nothing to LDAP for an empty group
        timed("first member", () -> realm.addMember("alice", "devs"), () -> members("devs").equals(List.of(vid("alice"))));
        assertThat(members("devs")).containsExactly(vid("alice"));
    }

    @Test
    @Order(2)
    void moreMembers() throws Exception {
        timed("second member", () -> realm.addMember("bob", "devs"), () -> members("devs").contains(vid("bob")));
        timed("third member", () -> realm.addMember("carol", "devs"), () -> members("devs").contains(vid("carol")));
        assertThat(members("devs")).containsExactlyInAnyOrder(vid("alice"), vid("bob"), vid("carol"));
    }

    @Test
    @Order(3)
    void removeMember() throws Exception {
        timed("member removed", () -> realm.removeMember("bob", "devs"),
                () -> !members("devs").contains(vid("bob")));
        assertThat(members("devs")).containsExactlyInAnyOrder(vid("alice"), vid("carol"));
    }

    @Test
    @Order(4)
    void subgroupWithMemberIsFlattenedIntoItsParent() throws Exception {
        realm.createGroup("backend", "devs");
        timed("subgroup member", () -> realm.addMember("erin", "backend"), () -> members("devs").contains(vid("erin")));
        assertThat(members("backend")).containsExactly(vid("erin"));
        assertThat(members("devs")).containsExactlyInAnyOrder(vid("alice"), vid("carol"), vid("erin"));
        assertThat(memberValues("devs")).contains("cn=backend," + GROUPS);
    }

    @Test
    @Order(5)
    void userCreatedInKeycloakIsWrittenToTheDirectoryAndCanJoinGroups() throws Exception {
        realm.createUser("dave", "dave@example.org", "Dave", "Dalton", "dave-pw-1");
        try (LDAPConnection ldap = directory.admin()) {
            SearchResultEntry entry = ldap.getEntry("uid=dave," + PEOPLE, "mail", "sn", "cn", "userPassword", "objectClass");
            assertThat(entry).as("Keycloak's user ADD (sn=' ', cn=' ') was accepted").isNotNull();
            assertThat(entry.getAttributeValue("mail")).isEqualTo("dave@example.org");
            assertThat(entry.getAttributeValue("sn")).isEqualTo("Dalton");
            assertThat(entry.getAttributeValue("userPassword")).startsWith("{SSHA512}");
        }
        try (LDAPConnection dave = new LDAPConnection("127.0.0.1", directory.ldapPort(), "uid=dave," + PEOPLE, "dave-pw-1")) {
            assertThat(dave.isConnected()).isTrue();
        }
        timed("new user joins", () -> realm.addMember("dave", "devs"), () -> members("devs").contains(vid("dave")));
        assertThat(members("devs")).containsExactlyInAnyOrder(vid("alice"), vid("carol"), vid("dave"), vid("erin"));
    }

    @Test
    @Order(6)
    void directoryUsersLogInThroughKeycloakAndTheirIdIsNotTheEntryUuid() throws Exception {
        JsonNode alice = login("alice", PASSWORDS.get("alice"));
        JsonNode dave = login("dave", "dave-pw-1");
        assertThat(alice.path("preferred_username").asText()).isEqualTo("alice");
        assertThat(dave.path("preferred_username").asText()).isEqualTo("dave");
        assertThat(realm.login(LOGIN_CLIENT, "alice", "wrong-password").status()).isEqualTo(401);
        try (LDAPConnection ldap = directory.admin()) {
            // Keycloak checked the password with a bind against what the directory stores: a salted hash
            assertThat(ldap.getEntry("uid=alice," + PEOPLE, "userPassword").getAttributeValue("userPassword")).startsWith("{SSHA512}");
        }
        for (String name : List.of("alice", "dave")) {
            JsonNode user = realm.http().get(realm.path("/users/" + realm.userId(name)));
            String entryUuid;
            try (LDAPConnection ldap = directory.admin()) {
                entryUuid = ldap.getEntry("uid=" + name + "," + PEOPLE, "entryUUID").getAttributeValue("entryUUID");
            }
            // what keys a Seafile social-auth uid: Keycloak's id (the 'sub' claim) is its own, the entryUUID is LDAP_ID
            assertThat(user.path("attributes").path("LDAP_ID").get(0).asText()).isEqualTo(entryUuid);
            assertThat(user.path("id").asText()).isNotEqualTo(entryUuid);
            assertThat((name.equals("alice") ? alice : dave).path("sub").asText()).isEqualTo(user.path("id").asText());
        }
    }

    @Test
    @Order(7)
    void deletedUserLeavesSeafileGroupsAndDirectoryMemberValues() throws Exception {
        timed("user deleted", () -> realm.deleteUser("carol"), () -> !members("devs").contains(vid("carol")));
        assertThat(members("devs")).containsExactlyInAnyOrder(vid("alice"), vid("dave"), vid("erin"));
        assertThat(memberValues("devs")).noneMatch(v -> v.startsWith("uid=carol,"));
    }

    @Test
    @Order(8)
    void syncKeycloakGroupsToLdapLeavesSeafileCorrect() throws Exception {
        Map<String, List<String>> before = Map.of("devs", members("devs"), "backend", members("backend"));
        JsonNode result = realm.http().postForJson(realm.path("/user-storage/" + ldapComponentId + "/mappers/" + groupMapperId
                + "/sync?direction=keycloakToFed"));
        assertThat(result.path("status").asText()).doesNotContain("fail");
        assertThat(members("devs")).containsExactlyInAnyOrderElementsOf(before.get("devs"));
        assertThat(members("backend")).containsExactlyInAnyOrderElementsOf(before.get("backend"));
        assertThat(memberValues("devs")).contains("uid=alice," + PEOPLE, "uid=dave," + PEOPLE, "cn=backend," + GROUPS);
    }

    @Test
    @Order(9)
    void renameInKeycloakRenamesTheSeafileGroupAndMemberAddsKeepWorking() throws Exception {
        long seafileId = seafileGroups().get("devs");
        timed("group renamed", () -> realm.renameGroup("devs", "developers"), () -> seafileGroups().containsKey("developers"));
        assertThat(seafileGroups()).containsEntry("developers", seafileId).doesNotContainKey("devs");
        // before grouprelay followed renames, this add made Keycloak re-ADD the group and fail with HTTP 500
        timed("member after rename", () -> realm.addMember("bob", "developers"), () -> members("developers").contains(vid("bob")));
        assertThat(members("developers")).containsExactlyInAnyOrder(vid("alice"), vid("bob"), vid("dave"), vid("erin"));
    }

    @Test
    @Order(10)
    void moveInKeycloakMovesTheSubgroupInTheDirectory() throws Exception {
        timed("subgroup moved to the top", () -> realm.moveGroupToTop("backend"), () -> !members("developers").contains(vid("erin")));
        assertThat(members("developers")).containsExactlyInAnyOrder(vid("alice"), vid("bob"), vid("dave"));
        assertThat(members("backend")).containsExactly(vid("erin"));
        assertThat(memberValues("developers")).doesNotContain("cn=backend," + GROUPS);
    }

    @Test
    @Order(11)
    void renameWhileGrouprelayIsDownIsAppliedAfterItsRestart() throws Exception {
        directory.stop();
        realm.renameGroup("backend", "platform");
        assertThat(seafileGroups()).containsKey("backend").doesNotContainKey("platform");
        directory.start();
        await(() -> seafileGroups().containsKey("platform"), Duration.ofSeconds(20));
        assertThat(seafileGroups()).doesNotContainKey("backend");
        assertThat(members("platform")).containsExactly(vid("erin"));
    }

    @Test
    @Order(12)
    void followerCarriesOnAfterKeycloakRestarts() throws Exception {
        figures.keycloakRestart = keycloak.restart();
        timed("rename after Keycloak restart", () -> realm.renameGroup("platform", "platform-team"), () -> seafileGroups().containsKey("platform-team"));
        assertThat(members("platform-team")).containsExactly(vid("erin"));
    }

    @Test
    @Order(13)
    void deleteInKeycloakDeletesTheGroupInTheDirectoryAndSeafile() throws Exception {
        realm.createGroup("qa", "developers");
        timed("member of new subgroup", () -> realm.addMember("frank", "qa"), () -> members("qa").contains(vid("frank")));
        timed("group deleted", () -> realm.deleteGroup("developers"), () -> !seafileGroups().containsKey("developers")
                && !seafileGroups().containsKey("qa"));
        try (LDAPConnection ldap = directory.admin()) {
            assertThat(ldap.getEntry("cn=developers," + GROUPS)).isNull();
            assertThat(ldap.getEntry("cn=qa," + GROUPS)).as("subgroups go with their parent").isNull();
        }
        timed("second group deleted", () -> realm.deleteGroup("platform-team"),
                () -> !seafileGroups().containsKey("platform-team"));
        assertThat(seafileGroups()).isEmpty();
        assertThat(seafile.query(EmbeddedSeafileDb.CCNET, "SELECT * FROM GroupUser")).isEmpty();
    }

    @Test
    @Order(14)
    void membershipExpirationDaysOnAKeycloakGroupGivesItsNewMembersAnEnd() throws Exception {
        realm.createGroup("contractors", null);
        timed("member of contractors", () -> realm.addMember("alice", "contractors"), () -> members("contractors").contains(vid("alice")));
        timed("group lifetime set", () -> realm.setGroupAttribute("contractors", "membershipExpirationDays", "90"),
                () -> groupValues("contractors", "grouprelayMembershipDays").equals(List.of("90")));
        timed("member with an end", () -> realm.addMember("bob", "contractors"), () -> members("contractors").contains(vid("bob")));
        String month = java.time.format.DateTimeFormatter.ofPattern("yyyyMM").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now().plus(Duration.ofDays(90)));
        assertThat(groupValues("contractors", "grouprelayMemberExpiry")).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .matches(month + "\\d{8}Z uid=bob," + PEOPLE.replace(",", ",\\s*"));
    }

    @Test
    @Order(15)
    void theServiceAccountsPasswordIsRotatedAsDocsAdminSaysWithoutAnInterruption() throws Exception {
        String rotated = "rotated-keycloak-password";
        try (LDAPConnection ldap = directory.admin()) { // 1. the new password beside the old one (ldapmodify add: userPassword)
            ldap.modify(TestDirectory.KEYCLOAK_DN, new Modification(ModificationType.ADD, "userPassword", rotated));
        }
        assertThat(keycloakSetup(rotated)).contains("LDAP provider 'grouprelay': updated"); // 2. Keycloak's bind credential
        try (LDAPConnection ldap = directory.admin()) { // 3. only the new one (what ldappasswd sends)
            ldap.processExtendedOperation(new PasswordModifyExtendedRequest(TestDirectory.KEYCLOAK_DN, null, rotated));
        }
        // Keycloak binds afresh with what it now holds ("Test authentication" in its console)
        realm.http().post(realm.path("/testLDAPConnection"), Map.of("action", "testAuthentication", "connectionUrl",
                "ldap://127.0.0.1:" + directory.ldapPort(), "bindDn", TestDirectory.KEYCLOAK_DN, "bindCredential", "**********",
                "authType", "simple", "componentId", ldapComponentId));
        realm.createGroup("rotated", null);
        timed("member after rotation", () -> realm.addMember("alice", "rotated"), () -> members("rotated").contains(vid("alice")));
        login("alice", PASSWORDS.get("alice"));
    }

    @Test
    @Order(16)
    void keycloakLoggedNoLdapErrors() throws Exception {
        List<String> problems = Files.readAllLines(keycloak.log()).stream()
                .filter(l -> l.contains(" ERROR ") || l.contains(" WARN ") && l.toLowerCase().contains("ldap")).toList();
        assertThat(problems).isEmpty();
    }

    static JsonNode login(String user, String password) throws Exception {
        KeycloakRealmAdmin.Login login = realm.login(LOGIN_CLIENT, user, password);
        assertThat(login.status()).as("password login of " + user + ": " + login.body()).isEqualTo(200);
        return login.claims();
    }

    // ---- Seafile and the directory ------------------------------------------------------------------

    static String vid(String name) {
        return seafileIds.get(name);
    }

    static Map<String, Long> seafileGroups() {
        Map<String, Long> groups = new LinkedHashMap<>();
        seafile.groups().forEach(row -> groups.put((String) row.get("group_name"), ((Number) row.get("group_id")).longValue()));
        return groups;
    }

    static List<String> members(String group) {
        Long id = seafileGroups().get(group);
        return id == null ? List.of() : seafile.groupUsers(id).stream().filter(u -> !u.equals("admin@example.org")).toList();
    }

    static List<String> memberValues(String group) throws Exception {
        return directory.groupValues(group, "member").stream().map(v -> v.replace(", ", ",")).toList();
    }

    /** The directory group's values of {@code attribute}; none when it cannot be read (for waiting on them). */
    static List<String> groupValues(String group, String attribute) {
        try {
            return directory.groupValues(group, attribute);
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            return List.of();
        }
    }

    static void timed(String step, E2EFigures.Action action, Supplier<Boolean> visible) throws Exception {
        figures.timed(step, action, visible);
    }

    static void await(Supplier<Boolean> condition, Duration timeout) throws InterruptedException {
        figures.await(condition, timeout);
    }
}
