package org.grouprelay.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.targets.TargetBehaviour.in;
import static org.grouprelay.targets.TargetBehaviour.run;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.grouprelay.change.GroupRef;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.targets.seafile.sql.SqlSettings;
import org.grouprelay.targets.seafile.sql.SqlTarget;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SQL target alone against real MariaDB: every write is idempotent and only linked groups are touched. */
class SqlTargetIT {
    @RegisterExtension
    static final PerClass<TestSeafile> SEAFILE = PerClass.of(TestSeafile::start).beforeEach(TestSeafile::reset);
    static final GroupRef DEVS = new GroupRef("0b7e5f6a-1c2d-4e3f-8a9b-0c1d2e3f4a5b", "cn=devs,ou=groups,dc=example,dc=org", "devs");

    static TestSeafile seafile() {
        return SEAFILE.get();
    }

    static SqlTarget target(boolean adopt) {
        return new SqlTarget(seafile().sqlSettings(Duration.ofSeconds(2)), "admin@example.org", adopt, Clock.systemUTC());
    }

    static Map<String, List<Map<String, Object>>> allRows() {
        return Map.of(
                "Group", seafile().query(EmbeddedSeafileDb.CCNET, "SELECT group_id, group_name, creator_name, parent_group_id FROM `Group` ORDER BY group_id"),
                "GroupUser", seafile().query(EmbeddedSeafileDb.CCNET, "SELECT group_id, user_name, is_staff FROM GroupUser ORDER BY group_id, user_name"),
                "RepoGroup", seafile().query(EmbeddedSeafileDb.SEAFILE, "SELECT repo_id, group_id, user_name FROM RepoGroup ORDER BY id"),
                "link", seafile().query(EmbeddedSeafileDb.CCNET, "SELECT group_uuid, group_id FROM grouprelay_group_link ORDER BY group_id"));
    }

    @Test
    void applyingEveryOperationTwiceLeavesTheSameRows() throws Exception {
        try (SqlTarget target = target(false)) {
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            run(target, s -> s.addMembers(id, List.of("Alice@Example.org", "bob@example.org")));
            Map<String, List<Map<String, Object>>> once = allRows();
            assertThat((Target.GroupLink) in(target, s -> s.ensureGroup(DEVS))).isEqualTo(new Target.GroupLink(id, Target.GroupLink.How.EXISTING));
            run(target, s -> s.addMembers(id, List.of("alice@example.org", "BOB@example.org")));
            assertThat(allRows()).isEqualTo(once);

            seafile().update(EmbeddedSeafileDb.SEAFILE, "INSERT INTO RepoGroup (repo_id, group_id, user_name, permission) VALUES ('r1', ?, 'bob@example.org', 'rw')", id);
            in(target, s -> s.removeMembers(id, List.of("bob@example.org")));
            Map<String, List<Map<String, Object>>> removed = allRows();
            in(target, s -> s.removeMembers(id, List.of("bob@example.org")));
            assertThat(allRows()).isEqualTo(removed);
            assertThat(seafile().groupUsers(Long.parseLong(id))).containsExactly("admin@example.org", "alice@example.org");

            run(target, s -> s.renameGroup(id, new GroupRef(DEVS.uuid(), DEVS.dn(), "developers")));
            run(target, s -> s.renameGroup(id, new GroupRef(DEVS.uuid(), DEVS.dn(), "developers")));
            assertThat(seafile().groups()).singleElement().satisfies(g -> assertThat(g.get("group_name")).isEqualTo("developers"));

            run(target, s -> s.deleteGroup(DEVS));
            Map<String, List<Map<String, Object>>> deleted = allRows();
            run(target, s -> s.deleteGroup(DEVS));
            assertThat(allRows()).isEqualTo(deleted);
            assertThat(deleted.get("Group")).isEmpty();
            assertThat(deleted.get("link")).isEmpty();
        }
    }

    @Test
    void theGroupOwnerRowIsNeverRemoved() throws Exception {
        try (SqlTarget target = target(false)) {
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            run(target, s -> s.addMembers(id, List.of("admin@example.org", "alice@example.org")));
            Target.RemoveResult result = in(target, s -> s.removeMembers(id, List.of("admin@example.org", "alice@example.org")));
            assertThat(result.keptOwners()).containsExactly("admin@example.org");
            assertThat(seafile().query(EmbeddedSeafileDb.CCNET, "SELECT user_name, is_staff FROM GroupUser WHERE group_id = ?", id))
                    .containsExactly(Map.of("user_name", "admin@example.org", "is_staff", 1));
        }
    }

    @Test
    void aGroupDeletedInSeafileByHandIsRecreatedAndRelinked() throws Exception {
        try (SqlTarget target = target(false)) {
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            seafile().update(EmbeddedSeafileDb.CCNET, "DELETE FROM `Group` WHERE group_id = ?", id);
            Target.GroupLink link = in(target, s -> s.ensureGroup(DEVS));
            assertThat(link.how()).isEqualTo(Target.GroupLink.How.RECREATED);
            assertThat(link.groupId()).isNotEqualTo(id);
            assertThat((java.util.Optional<String>) in(target, s -> s.linkedGroup(DEVS))).contains(link.groupId());
        }
    }

    @Test
    void adoptLinksAnExistingUnlinkedGroupOfTheSameNameInsteadOfADuplicate() throws Exception {
        seafile().update(EmbeddedSeafileDb.CCNET, "INSERT INTO `Group` (group_name, creator_name, timestamp, parent_group_id) VALUES ('devs', 'carol@example.org', 1, 0)");
        long existing = ((Number) seafile().groups().get(0).get("group_id")).longValue();
        try (SqlTarget target = target(false)) {
            assertThat((java.util.Optional<String>) in(target, s -> s.linkedGroup(DEVS))).isEmpty(); // not linked: never touched without adopt
        }
        try (SqlTarget target = target(true)) {
            assertThat((Target.GroupLink) in(target, s -> s.ensureGroup(DEVS))).isEqualTo(new Target.GroupLink(String.valueOf(existing), Target.GroupLink.How.ADOPTED));
            assertThat(seafile().groups()).hasSize(1);
        }
    }

    @Test
    void aDatabaseThatIsDownIsATransientFailure() throws Exception {
        SqlSettings reachable = seafile().sqlSettings(Duration.ofMillis(500));
        SqlSettings ccnetDown = new SqlSettings("jdbc:mariadb://127.0.0.1:1/ccnet_db", reachable.seahubUrl(), reachable.seafileUrl(),
                reachable.user(), reachable.password(), reachable.deadline());
        try (SqlTarget target = new SqlTarget(ccnetDown, "admin@example.org", false, Clock.systemUTC())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> in(target, s -> s.ensureGroup(DEVS)))
                    .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.isTransient()).isTrue());
        }
    }
}
