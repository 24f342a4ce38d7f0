package org.grouprelay.targets;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.targets.seafile.sql.SqlTarget;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The target behaviour suite against the SQL target and a real MariaDB holding Seafile's tables. */
class SqlTargetBehaviourIT extends TargetBehaviour {
    @RegisterExtension
    static final PerClass<TestSeafile> SEAFILE = PerClass.of(TestSeafile::start);

    static TestSeafile seafile() {
        return SEAFILE.get();
    }

    @Override
    Target target(boolean adopt) {
        return new SqlTarget(seafile().sqlSettings(Duration.ofSeconds(2)), CREATOR, adopt, Clock.systemUTC());
    }

    @Override
    void resetSeafile() {
        seafile().reset();
        seafile().db().seedUser(CREATOR, true);
        seafile().seedAccounts("alice", "bob", "carol");
    }

    @Override
    void addAccount(String id, String contactEmail) {
        seafile().db().seedUser(id, true);
        if (contactEmail != null) {
            seafile().db().seedContactEmail(id, contactEmail);
        }
    }

    @Override
    void addSocialAuth(String id, String provider, String uid) {
        seafile().db().seedSocialAuth(id, provider, uid);
    }

    @Override
    List<String> members(String seafileId) {
        long groupId = Long.parseLong(seafileId);
        return seafile().groupUsers(groupId);
    }

    @Override
    org.grouprelay.mapping.UserLookup lookup(Target target) {
        return ((org.grouprelay.targets.seafile.sql.SqlTarget) target).users();
    }

    @Override
    Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        seafile().groups().forEach(row -> groups.put(String.valueOf(((Number) row.get("group_id")).longValue()), (String) row.get("group_name")));
        return groups;
    }

    @Override
    String createGroupByHand(String name, String owner, String... members) {
        seafile().update(EmbeddedSeafileDb.CCNET, "INSERT INTO `Group` (group_name, creator_name, timestamp, parent_group_id) VALUES (?, ?, 1, 0)",
                name, owner);
        long id = ((Number) seafile().query(EmbeddedSeafileDb.CCNET, "SELECT MAX(group_id) AS id FROM `Group`").get(0).get("id")).longValue();
        seafile().update(EmbeddedSeafileDb.CCNET, "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, ?, 1)", id, owner);
        for (String member : members) {
            seafile().update(EmbeddedSeafileDb.CCNET, "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, ?, 0)", id, member);
        }
        return String.valueOf(id);
    }

    @Override
    void deleteGroupByHand(String seafileId) {
        long groupId = Long.parseLong(seafileId);
        seafile().update(EmbeddedSeafileDb.CCNET, "DELETE FROM `Group` WHERE group_id = ?", groupId);
        seafile().update(EmbeddedSeafileDb.CCNET, "DELETE FROM GroupUser WHERE group_id = ?", groupId);
    }

    @Override
    void makeOwnerByHand(String seafileId, String id) {
        long groupId = Long.parseLong(seafileId);
        seafile().update(EmbeddedSeafileDb.CCNET, "UPDATE `Group` SET creator_name = ? WHERE group_id = ?", id, groupId);
    }
}
