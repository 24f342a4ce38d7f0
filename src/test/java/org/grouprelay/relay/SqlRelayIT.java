package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.group;
import static org.grouprelay.testing.TestDirectory.user;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Directory over LDAP/TCP → capture → relay → a real MariaDB with Seafile's tables. Each test uses
 * its own groups; users are seeded once.
 */
class SqlRelayIT {
    static final String CCNET = EmbeddedSeafileDb.CCNET;
    static TestSeafile seafile;
    static TestDirectory directory;
    static LDAPConnection ldap;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob", "carol", "dave", "erin", "frank", "nobody", "vic", "renamee",
                        "leaver", "mover", "mailer"))
                .relayingTo(seafile, Relaying.relayMode().users(
                        new MappingRule(Strategy.SOCIAL_AUTH, "keycloak", "mail"),
                        new MappingRule(Strategy.CONTACT_EMAIL, null, "mail"),
                        new MappingRule(Strategy.EMAIL, null, "mail")))
                .start();
        EmbeddedSeafileDb db = seafile.db();
        for (String name : List.of("alice", "bob", "carol", "dave", "erin", "frank", "renamee", "leaver", "mover", "mailer")) {
            db.seedUser(name + "@example.org", true);
        }
        db.seedUser("admin@example.org", true);
        // Seafile 11+ OIDC login: a virtual id linked by (provider, uid = mail), and one found by contact e-mail
        db.seedUser("4f1c2d9e8b7a6c5d4e3f2a1b0c9d8e7f@auth.local", true);
        db.seedSocialAuth("4f1c2d9e8b7a6c5d4e3f2a1b0c9d8e7f@auth.local", "keycloak", "vic@example.org");
        ldap = directory.admin();
    }

    @AfterAll
    static void stop() {
        ldap.close();
        directory.close();
        seafile.close();
    }

    /** Keycloak's way: ADD with only the placeholder, then member adds. */
    static void createGroup(String cn, String... members) throws Exception {
        List<String> values = new ArrayList<>(List.of("cn=empty-membership-placeholder"));
        for (String m : members) {
            values.add(m.startsWith("cn=") ? m : user(m));
        }
        ldap.add(new Entry(group(cn), new Attribute("objectClass", "groupOfNames"), new Attribute("cn", cn),
                new Attribute("member", values)));
    }

    static void modify(String cn, ModificationType type, String... members) throws Exception {
        List<String> values = new ArrayList<>();
        for (String m : members) {
            values.add(m.startsWith("cn=") ? m : user(m));
        }
        ldap.modify(group(cn), new Modification(type, "member", values.toArray(String[]::new)));
    }

    static long seafileGroup(String name) {
        List<Map<String, Object>> rows = seafile.query(CCNET, "SELECT group_id FROM `Group` WHERE BINARY group_name = ?", name);
        assertThat(rows).as("Seafile groups named " + name).hasSize(1);
        return ((Number) rows.get(0).get("group_id")).longValue();
    }

    static List<String> members(String name) {
        return seafile.groupUsers(seafileGroup(name)).stream().filter(u -> !u.equals("admin@example.org")).toList();
    }

    @Test
    void keycloaksGroupAddCreatesTheSeafileGroupAsSeafileDoes() throws Exception {
        long before = Instant.now().toEpochMilli() * 1000;
        createGroup("devs");
        long after = Instant.now().toEpochMilli() * 1000 + 1000;
        Map<String, Object> row = seafile.query(CCNET, "SELECT * FROM `Group` WHERE group_id = ?", seafileGroup("devs")).get(0);
        assertThat(row.get("creator_name")).isEqualTo("admin@example.org");
        assertThat(((Number) row.get("timestamp")).longValue()).isBetween(before, after);
        assertThat(((Number) row.get("parent_group_id")).intValue()).isZero();
        assertThat(row.get("type")).isNull();
        assertThat(seafile.query(CCNET, "SELECT user_name, is_staff FROM GroupUser WHERE group_id = ?", seafileGroup("devs")))
                .containsExactly(Map.of("user_name", "admin@example.org", "is_staff", 1));
        assertThat(members("devs")).isEmpty(); // the placeholder is never relayed
    }

    @Test
    void keycloaksServiceAccountCreatesAndFillsGroupsThroughTheRelay() throws Exception {
        // as Keycloak does it: bound as the service account (ACI applies), ADD with the placeholder, then MODIFY
        try (LDAPConnection keycloak = directory.keycloak()) {
            keycloak.add(new Entry(group("kc-made"), new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "kc-made"),
                    new Attribute("member", "cn=empty-membership-placeholder")));
            keycloak.modify(group("kc-made"), new Modification(ModificationType.ADD, "member", user("alice")));
        }
        assertThat(members("kc-made")).containsExactly("alice@example.org");
    }

    @Test
    void memberAddAndRemoveReachSeafileBeforeTheLdapReply() throws Exception {
        createGroup("ops");
        modify("ops", ModificationType.ADD, "alice");
        assertThat(members("ops")).containsExactly("alice@example.org");
        modify("ops", ModificationType.ADD, "bob");
        assertThat(members("ops")).containsExactly("alice@example.org", "bob@example.org");
        assertThat(seafile.query(CCNET, "SELECT is_staff FROM GroupUser WHERE user_name = 'bob@example.org' AND group_id = ?",
                seafileGroup("ops"))).containsExactly(Map.of("is_staff", 0));
        modify("ops", ModificationType.DELETE, "alice");
        assertThat(members("ops")).containsExactly("bob@example.org");
    }

    @Test
    void aGroupAddedWithMembersGetsThemAll() throws Exception {
        createGroup("founders", "alice", "bob", "carol");
        assertThat(members("founders")).containsExactly("alice@example.org", "bob@example.org", "carol@example.org");
    }

    @Test
    void replaceIsDiffedAgainstTheEntryBeforeTheChange() throws Exception {
        createGroup("sync", "alice", "bob", "carol");
        // Keycloak's "Sync Keycloak groups to LDAP": REPLACE with placeholder + full list
        ldap.modify(group("sync"), new Modification(ModificationType.REPLACE, "member",
                "cn=empty-membership-placeholder", user("bob"), user("dave"), user("erin")));
        assertThat(members("sync")).containsExactly("bob@example.org", "dave@example.org", "erin@example.org");
    }

    @Test
    void userMappingChainFindsVirtualIdsByProviderUid() throws Exception {
        createGroup("virtual", "vic", "alice");
        assertThat(members("virtual")).containsExactly("4f1c2d9e8b7a6c5d4e3f2a1b0c9d8e7f@auth.local", "alice@example.org");
    }

    @Test
    void aMemberWithoutSeafileAccountIsNotWrittenAndIsReportedPending() throws Exception {
        createGroup("pendings", "nobody", "alice");
        assertThat(members("pendings")).containsExactly("alice@example.org");
        assertThat(auditLines()).anySatisfy(line -> assertThat(line)
                .contains("\"change\":\"member-added\"", "\"group\":\"pendings\"", "uid=nobody", "\"outcome\":\"pending\""));
    }

    @Test
    void anUnknownMemberDnIsReportedNotFatal() throws Exception {
        createGroup("ghosts", "alice");
        ldap.modify(group("ghosts"), new Modification(ModificationType.ADD, "member", "uid=ghost," + PEOPLE, "cn=elsewhere,dc=example,dc=org"));
        modify("ghosts", ModificationType.ADD, "bob");
        assertThat(members("ghosts")).containsExactly("alice@example.org", "bob@example.org");
        assertThat(auditLines()).anySatisfy(l -> assertThat(l).contains("member-unresolved", "uid=ghost", "\"outcome\":\"ignored\""))
                .anySatisfy(l -> assertThat(l).contains("member-unresolved", "cn=elsewhere"));
    }

    /** The capture keeps the users it looked up across operations; a write to a user makes it read them again. */
    @Test
    void aUserChangedAfterTheCaptureReadItIsReadAgain() throws Exception {
        seafile.db().seedUser("mailer.new@example.org", true);
        createGroup("cache-a", "mailer", "mover");
        ldap.modify(user("mailer"), new Modification(ModificationType.REPLACE, "mail", "mailer.new@example.org"));
        ldap.modifyDN(user("mover"), "uid=moved", true);
        createGroup("cache-b", "mailer");
        modify("cache-b", ModificationType.ADD, "mover");
        assertThat(members("cache-a")).as("renamed in place by refint").containsExactlyInAnyOrder("mailer@example.org", "mover@example.org");
        assertThat(members("cache-b")).as("the new mail, and no member for a DN that no longer exists")
                .containsExactly("mailer.new@example.org");
        assertThat(auditLines()).anySatisfy(l -> assertThat(l).contains("member-unresolved", "uid=mover", "cache-b"));
    }

    @Test
    void aThousandMembersInOneModifyAreOneBatch() throws Exception {
        StringBuilder ldif = new StringBuilder();
        List<String> dns = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String name = "bulk" + i;
            ldap.add(new Entry(user(name), new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", name),
                    new Attribute("sn", name), new Attribute("cn", name), new Attribute("mail", name + "@example.org")));
            dns.add(user(name));
            ldif.append(name);
        }
        try (var c = seafile.db().rootConnection(CCNET); var s = c.prepareStatement(
                "INSERT INTO EmailUser (email, passwd, is_staff, is_active, ctime) VALUES (?, '!', 0, 1, 0)")) {
            for (int i = 0; i < 1000; i++) {
                s.setString(1, "bulk" + i + "@example.org");
                s.addBatch();
            }
            s.executeBatch();
        }
        createGroup("bulk");
        ldap.modify(group("bulk"), new Modification(ModificationType.ADD, "member", dns.toArray(String[]::new)));
        assertThat(members("bulk")).hasSize(1000);
        assertThat(auditLines()).filteredOn(l -> l.contains("\"group\":\"bulk\"") && l.contains("member-added")).hasSize(1000);
    }

    @Test
    void nestedGroupsAreFlattenedAndRecomputedWhenTheChildChanges() throws Exception {
        createGroup("parent", "alice");
        createGroup("child", "bob", "carol");
        modify("parent", ModificationType.ADD, group("child"));
        assertThat(members("parent")).containsExactly("alice@example.org", "bob@example.org", "carol@example.org");
        modify("child", ModificationType.ADD, "dave");
        assertThat(members("parent")).contains("dave@example.org");
        modify("child", ModificationType.DELETE, "bob");
        assertThat(members("parent")).doesNotContain("bob@example.org");
        assertThat(members("child")).containsExactly("carol@example.org", "dave@example.org");
        // alice is direct in parent and also joins child: leaving child must not remove her from parent
        modify("child", ModificationType.ADD, "alice");
        modify("child", ModificationType.DELETE, "alice");
        assertThat(members("parent")).contains("alice@example.org");
        modify("parent", ModificationType.DELETE, group("child"));
        assertThat(members("parent")).containsExactly("alice@example.org");
    }

    /**
     * The capture remembers which entries listing a member are groups, by entry id (entryUUID). An import can
     * delete a group and add another entry with the same entryUUID that lists the same member but is no group: a
     * change of that member must not reach the deleted group's Seafile group through a stale answer.
     */
    @Test
    void anEntryReAddedWithADeletedGroupsEntryUuidIsJudgedByWhatItIsNow() throws Exception {
        createGroup("reused-outer", "alice");
        createGroup("reused-inner", "bob");
        modify("reused-outer", ModificationType.ADD, group("reused-inner"));
        modify("reused-inner", ModificationType.ADD, "carol"); // the capture learns that reused-outer lists reused-inner
        assertThat(members("reused-outer")).containsExactly("alice@example.org", "bob@example.org", "carol@example.org");
        String uuid = ldap.getEntry(group("reused-outer"), "entryUUID").getAttributeValue("entryUUID");
        ldap.delete(group("reused-outer"));
        ldap.add(new Entry("cn=reused-role," + TestDirectory.GROUPS, new Attribute("objectClass", "organizationalRole", "extensibleObject"),
                new Attribute("cn", "reused-role"), new Attribute("member", group("reused-inner")), new Attribute("entryUUID", uuid)));
        assertThat(ldap.getEntry("cn=reused-role," + TestDirectory.GROUPS, "entryUUID").getAttributeValue("entryUUID")).isEqualTo(uuid);
        modify("reused-inner", ModificationType.ADD, "dave");
        assertThat(members("reused-inner")).containsExactly("bob@example.org", "carol@example.org", "dave@example.org");
        assertThat(seafile.query(CCNET, "SELECT group_name FROM `Group` WHERE group_name IN ('reused-outer', 'reused-role')")).isEmpty();
        assertThat(Files.readAllLines(directory.auditLog())).noneSatisfy(l -> assertThat(l).contains("reused-role"));
    }

    @Test
    void cyclesAreFollowedOnce() throws Exception {
        createGroup("cycle-a", "alice");
        createGroup("cycle-b", "bob");
        modify("cycle-a", ModificationType.ADD, group("cycle-b"));
        modify("cycle-b", ModificationType.ADD, group("cycle-a"));
        assertThat(members("cycle-a")).containsExactly("alice@example.org", "bob@example.org");
        assertThat(members("cycle-b")).containsExactly("alice@example.org", "bob@example.org");
    }

    @Test
    void aRenamedGroupKeepsItsSeafileGroupAndMembers() throws Exception {
        createGroup("old-name", "alice");
        long id = seafileGroup("old-name");
        ldap.modifyDN(new ModifyDNRequest(group("old-name"), "cn=new-name", true));
        assertThat(seafileGroup("new-name")).isEqualTo(id);
        assertThat(members("new-name")).containsExactly("alice@example.org");
        modify("new-name", ModificationType.ADD, "bob");
        assertThat(members("new-name")).containsExactly("alice@example.org", "bob@example.org");
    }

    @Test
    void aRenamedSubgroupStaysInItsParent() throws Exception {
        createGroup("outer", "alice");
        createGroup("inner", "bob");
        modify("outer", ModificationType.ADD, group("inner"));
        ldap.modifyDN(new ModifyDNRequest(group("inner"), "cn=inner2", true));
        assertThat(ldap.getEntry(group("outer")).getAttributeValues("member")).contains(group("inner2")).doesNotContain(group("inner"));
        modify("inner2", ModificationType.ADD, "carol");
        assertThat(members("outer")).containsExactly("alice@example.org", "bob@example.org", "carol@example.org");
    }

    @Test
    void aDeletedUserLeavesEveryGroupInTheDirectoryAndInSeafile() throws Exception {
        createGroup("leave-1", "leaver", "alice");
        createGroup("leave-2", "leaver");
        createGroup("leave-top", "bob");
        modify("leave-top", ModificationType.ADD, group("leave-2"));
        assertThat(members("leave-top")).contains("leaver@example.org");
        ldap.delete(user("leaver"));
        assertThat(ldap.getEntry(group("leave-1")).getAttributeValues("member")).doesNotContain(user("leaver"));
        // the group left with no real member keeps Keycloak's placeholder
        assertThat(ldap.getEntry(group("leave-2")).getAttributeValues("member")).containsExactly("cn=empty-membership-placeholder");
        assertThat(members("leave-1")).containsExactly("alice@example.org");
        assertThat(members("leave-2")).isEmpty();
        assertThat(members("leave-top")).containsExactly("bob@example.org");
    }

    @Test
    void aRenamedUserKeepsMembershipsInTheDirectoryAndSeafile() throws Exception {
        createGroup("renames", "renamee");
        ldap.modifyDN(new ModifyDNRequest(user("renamee"), "uid=renamed", true));
        assertThat(ldap.getEntry(group("renames")).getAttributeValues("member")).contains(user("renamed")).doesNotContain(user("renamee"));
        assertThat(members("renames")).containsExactly("renamee@example.org");
        modify("renames", ModificationType.DELETE, "renamed");
        assertThat(members("renames")).isEmpty();
    }

    @Test
    void removingAMemberRemovesTheSharesTheyMadeToTheGroupLikeSeafile() throws Exception {
        createGroup("sharing", "alice", "bob");
        long id = seafileGroup("sharing");
        seafile.update(EmbeddedSeafileDb.SEAFILE, "INSERT INTO RepoGroup (repo_id, group_id, user_name, permission) VALUES "
                + "('repo-a', ?, 'alice@example.org', 'rw'), ('repo-b', ?, 'bob@example.org', 'r')", id, id);
        modify("sharing", ModificationType.DELETE, "alice");
        assertThat(seafile.query(EmbeddedSeafileDb.SEAFILE, "SELECT repo_id FROM RepoGroup WHERE group_id = ?", id))
                .containsExactly(Map.of("repo_id", "repo-b"));
    }

    @Test
    void deletingAGroupCleansUpLikeSeahubsAdminDelete() throws Exception {
        createGroup("doomed", "alice");
        long id = seafileGroup("doomed");
        seafile.update(EmbeddedSeafileDb.SEAFILE, "INSERT INTO RepoGroup (repo_id, group_id, user_name, permission) VALUES ('repo-d', ?, 'alice@example.org', 'rw')", id);
        seafile.update(EmbeddedSeafileDb.SEAHUB, "INSERT INTO share_extragroupssharepermission (repo_id, group_id, permission) VALUES ('repo-d', ?, 'admin')", id);
        ldap.delete(group("doomed"));
        assertThat(seafile.query(CCNET, "SELECT * FROM `Group` WHERE group_id = ?", id)).isEmpty();
        assertThat(seafile.query(CCNET, "SELECT * FROM GroupUser WHERE group_id = ?", id)).isEmpty();
        assertThat(seafile.query(EmbeddedSeafileDb.SEAFILE, "SELECT * FROM RepoGroup WHERE group_id = ?", id)).isEmpty();
        assertThat(seafile.query(EmbeddedSeafileDb.SEAHUB, "SELECT * FROM share_extragroupssharepermission WHERE group_id = ?", id)).isEmpty();
    }

    @Test
    void unmanagedSeafileGroupsAreNeverTouched() throws Exception {
        seafile.update(CCNET, "INSERT INTO `Group` (group_name, creator_name, timestamp, parent_group_id) VALUES ('handmade', 'frank@example.org', 1, 0)");
        long handmade = seafileGroup("handmade");
        seafile.update(CCNET, "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, 'frank@example.org', 1), (?, 'erin@example.org', 0)", handmade, handmade);
        createGroup("handmade", "alice"); // same name: adopt is off, so a new, linked group
        ldap.delete(group("handmade"));
        assertThat(seafile.groupUsers(handmade)).containsExactly("erin@example.org", "frank@example.org");
        assertThat(seafile.query(CCNET, "SELECT group_id FROM `Group` WHERE group_name = 'handmade'")).hasSize(1);
    }

    @Test
    void sqlMetacharactersQuotesAndUnicodeInNamesArriveIntact() throws Exception {
        String name = "R&D 'Ops'; DROP TABLE `Group`; -- Ünïcødé 研究 \"x\" \\ %_";
        ldap.add(new Entry(new com.unboundid.ldap.sdk.DN(new com.unboundid.ldap.sdk.RDN("cn", name), new com.unboundid.ldap.sdk.DN(GROUPS)).toString(),
                new Attribute("objectClass", "groupOfNames"), new Attribute("cn", name), new Attribute("member", user("alice"))));
        assertThat(members(name)).containsExactly("alice@example.org");
    }

    @Test
    void emojiInACnIsRefusedByTheDirectoryAndNothingReachesSeafile() throws Exception {
        // ApacheDS 2.0.0.AM27 cannot normalize characters outside the BMP in cn: the add fails as a whole
        String name = "rocket 🚀";
        assertThatThrownByLdap(() -> ldap.add(new Entry(new com.unboundid.ldap.sdk.DN(new com.unboundid.ldap.sdk.RDN("cn", name),
                new com.unboundid.ldap.sdk.DN(GROUPS)).toString(), new Attribute("objectClass", "groupOfNames"),
                new Attribute("cn", name), new Attribute("member", user("alice")))));
        assertThat(seafile.query(CCNET, "SELECT * FROM `Group` WHERE group_name LIKE 'rocket%'")).isEmpty();
    }

    static void assertThatThrownByLdap(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call).isInstanceOf(com.unboundid.ldap.sdk.LDAPException.class);
    }

    @Test
    void keycloaksUserAddWithSingleSpaceValuesIsAccepted() throws Exception {
        ldap.add(new Entry(user("kcuser"), new Attribute("objectClass", "inetOrgPerson", "organizationalPerson"),
                new Attribute("uid", "kcuser"), new Attribute("sn", " "), new Attribute("cn", " ")));
        assertThat(ldap.getEntry(user("kcuser"))).isNotNull();
    }

    static List<String> auditLines() throws Exception {
        return Files.readAllLines(directory.auditLog());
    }
}
