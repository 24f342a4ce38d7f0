package org.grouprelay.targets.seafile.sql;

import static org.grouprelay.targets.seafile.sql.SqlTarget.LINK_TABLE;
import static org.grouprelay.targets.seafile.sql.Statements.batch;
import static org.grouprelay.targets.seafile.sql.Statements.singleLong;
import static org.grouprelay.targets.seafile.sql.Statements.singleString;
import static org.grouprelay.targets.seafile.sql.Statements.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.grouprelay.change.GroupRef;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.seafile.SeafileGroupId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work on Seafile's databases, writing rows the way seafile-server's group-mgr.c and
 * seahub's admin API do: lower-cased user ids, creator row with is_staff=1, timestamps in
 * microseconds, parent_group_id 0. One transaction per database, committed shares-first.
 */
final class SqlSession implements Target.Session {
    private static final Logger log = LoggerFactory.getLogger(SqlSession.class);
    private static final int NAME_LIMIT = 255;

    /** Schema preparation, run before the first statement. */
    interface Preparation {
        void run() throws TargetException;
    }

    private final Pools pools;
    private final Preparation preparation;
    private final String creator;
    private final boolean adopt;
    private final Clock clock;
    /** Open transactions in commit order: seafile (shares), seahub (share permissions), ccnet (groups). */
    private final Map<DataSource, Connection> open = new LinkedHashMap<>();
    /** Creators of the groups this session read a link of (lower-cased), so a removal need not read them again. */
    private final Map<Long, Optional<String>> owners = new java.util.HashMap<>();

    SqlSession(Pools pools, Preparation preparation, String creator, boolean adopt, Clock clock) {
        this.pools = pools;
        this.preparation = preparation;
        this.creator = creator;
        this.adopt = adopt;
        this.clock = clock;
    }

    @Override
    public Optional<String> linkedGroup(GroupRef group) throws TargetException {
        return with("find the Seafile group of " + group, pools.ccnet(), c -> {
            Link link = link(c, group.uuid(), false);
            return link.groupExists() ? link.groupId().map(String::valueOf) : Optional.<String>empty();
        });
    }

    @Override
    public Target.GroupLink ensureGroup(GroupRef group) throws TargetException {
        return with("create the Seafile group for " + group, pools.ccnet(), c -> {
            Link link = link(c, group.uuid(), true);
            Optional<Long> linked = link.groupId();
            if (link.groupExists()) {
                return new Target.GroupLink(String.valueOf(linked.get()), Target.GroupLink.How.EXISTING);
            }
            if (linked.isPresent()) {
                // deleted in Seafile by hand: re-create and re-link (reported by the relay)
                update(c, "DELETE FROM " + LINK_TABLE + " WHERE group_uuid = ?", group.uuid());
            }
            if (linked.isEmpty() && adopt) {
                Optional<Long> sameName = singleLong(c, "SELECT g.group_id FROM `Group` g LEFT JOIN " + LINK_TABLE
                        + " l ON l.group_id = g.group_id WHERE BINARY g.group_name = ? AND l.group_id IS NULL"
                        + " ORDER BY g.group_id LIMIT 1", name(group));
                if (sameName.isPresent()) {
                    insertLink(c, group.uuid(), sameName.get());
                    return new Target.GroupLink(String.valueOf(sameName.get()), Target.GroupLink.How.ADOPTED);
                }
            }
            long id = createGroup(c, name(group));
            insertLink(c, group.uuid(), id);
            return new Target.GroupLink(String.valueOf(id), linked.isPresent() ? Target.GroupLink.How.RECREATED : Target.GroupLink.How.CREATED);
        });
    }

    /** Seafile's create_group_common(): the Group row, then the creator as staff member. */
    private long createGroup(Connection c, String name) throws SQLException {
        long id;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO `Group` (group_name, creator_name, timestamp, parent_group_id) VALUES (?, ?, ?, 0)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, name);
            insert.setString(2, creator);
            insert.setLong(3, SqlTarget.micros(clock.instant()));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        update(c, "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, ?, 1)", id, creator);
        return id;
    }

    @Override
    public void renameGroup(String seafileId, GroupRef group) throws TargetException {
        long groupId = SeafileGroupId.parse(seafileId);
        with("rename Seafile group " + groupId, pools.ccnet(),
                c -> update(c, "UPDATE `Group` SET group_name = ? WHERE group_id = ?", name(group), groupId));
    }

    /** Seahub's AdminGroup.delete: shares, share permissions, the group rows, then the link. */
    @Override
    public void deleteGroup(GroupRef group) throws TargetException {
        Optional<Long> linked = with("find the Seafile group of " + group, pools.ccnet(), c -> link(c, group.uuid(), true).groupId());
        if (linked.isEmpty()) {
            return;
        }
        long id = linked.get();
        with("remove the shares of Seafile group " + id, pools.seafile(), c -> update(c, "DELETE FROM RepoGroup WHERE group_id = ?", id));
        with("remove the share permissions of Seafile group " + id, pools.seahub(),
                c -> update(c, "DELETE FROM share_extragroupssharepermission WHERE group_id = ?", id));
        with("delete Seafile group " + id, pools.ccnet(), c -> {
            update(c, "DELETE FROM `Group` WHERE group_id = ?", id);
            update(c, "DELETE FROM GroupUser WHERE group_id = ?", id);
            update(c, "DELETE FROM GroupStructure WHERE group_id = ?", id);
            return update(c, "DELETE FROM " + LINK_TABLE + " WHERE group_uuid = ?", group.uuid());
        });
    }

    @Override
    public java.util.Set<String> members(String seafileId) throws TargetException {
        long groupId = SeafileGroupId.parse(seafileId);
        return with("read the members of Seafile group " + groupId, pools.ccnet(), c -> {
            java.util.Set<String> members = new java.util.HashSet<>();
            try (PreparedStatement s = Statements.prepare(c, "SELECT user_name FROM GroupUser WHERE group_id = ?", groupId);
                    ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    members.add(rows.getString(1).toLowerCase(Locale.ROOT));
                }
            }
            return members;
        });
    }

    @Override
    public void addMembers(String seafileId, Collection<String> userIds) throws TargetException {
        long groupId = SeafileGroupId.parse(seafileId);
        with("add members to Seafile group " + groupId, pools.ccnet(), c -> {
            batch(c, "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, ?, 0)"
                    + " ON DUPLICATE KEY UPDATE group_id = group_id", groupId, lower(userIds));
            return null;
        });
    }

    /** Seahub's member removal: the GroupUser row, then every share the member made to the group. */
    @Override
    public Target.RemoveResult removeMembers(String seafileId, Collection<String> userIds) throws TargetException {
        long groupId = SeafileGroupId.parse(seafileId);
        Optional<String> owner = owners.containsKey(groupId) ? owners.get(groupId) : with("read the owner of Seafile group " + groupId,
                pools.ccnet(), c -> singleString(c, "SELECT creator_name FROM `Group` WHERE group_id = ?", groupId));
        List<String> ids = new ArrayList<>(lower(userIds));
        List<String> kept = new ArrayList<>();
        owner.map(o -> o.toLowerCase(Locale.ROOT)).filter(ids::remove).ifPresent(kept::add);
        if (!ids.isEmpty()) {
            with("remove members from Seafile group " + groupId, pools.ccnet(), c -> {
                batch(c, "DELETE FROM GroupUser WHERE group_id = ? AND user_name = ?", groupId, ids);
                return null;
            });
            with("remove the shares of removed members of Seafile group " + groupId, pools.seafile(), c -> {
                batch(c, "DELETE FROM RepoGroup WHERE group_id = ? AND user_name = ?", groupId, ids);
                return null;
            });
        }
        return new Target.RemoveResult(kept);
    }

    @Override
    public void commit() throws TargetException {
        List<DataSource> order = List.of(pools.seafile(), pools.seahub(), pools.ccnet());
        for (DataSource db : order) {
            Connection c = open.get(db);
            if (c != null) {
                try {
                    c.commit();
                } catch (SQLException e) {
                    throw SqlErrors.classify("commit", e);
                }
            }
        }
        release();
    }

    @Override
    public void rollback() {
        for (Connection c : open.values()) {
            try {
                c.rollback();
            } catch (SQLException e) {
                log.debug("rollback: {}", e.getMessage());
            }
        }
        release();
    }

    @Override
    public void close() {
        rollback();
    }

    private void release() {
        for (Connection c : open.values()) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing a connection: {}", e.getMessage());
            }
        }
        open.clear();
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private <T> T with(String what, DataSource db, Work<T> work) throws TargetException {
        preparation.run();
        try {
            Connection c = open.get(db);
            if (c == null) {
                c = db.getConnection(); // out of auto-commit (Pools): this session's transaction on db
                open.put(db, c);
            }
            return work.apply(c);
        } catch (SQLException e) {
            throw SqlErrors.classify(what, e);
        }
    }

    /** Seafile's column is VARCHAR(255) and its API refuses longer names: cut at 255 characters. */
    private static String name(GroupRef group) {
        String name = seafileName(group.name());
        if (!name.equals(group.name().strip())) {
            log.warn("group name of {} is longer than {} characters; Seafile gets the first {}", group.dn(), NAME_LIMIT, NAME_LIMIT);
        }
        return name;
    }

    /** The name Seafile gets for a directory group called {@code directoryName}: stripped, at most 255 characters. */
    static String seafileName(String directoryName) {
        String name = directoryName.strip();
        if (name.codePointCount(0, name.length()) <= NAME_LIMIT) {
            return name;
        }
        return name.substring(0, name.offsetByCodePoints(0, NAME_LIMIT));
    }

    private static List<String> lower(Collection<String> ids) {
        return ids.stream().map(id -> id.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    /** A link row, and whether the Seafile group it points to still exists. */
    private record Link(Optional<Long> groupId, boolean groupExists) {
    }

    /**
     * The link and its group (and the group's creator, kept for a removal in this session) in one
     * query; {@code forUpdate} locks both rows until commit.
     */
    private Link link(Connection c, String uuid, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = Statements.prepare(c, "SELECT l.group_id, g.group_id, g.creator_name FROM " + LINK_TABLE
                + " l LEFT JOIN `Group` g ON g.group_id = l.group_id WHERE l.group_uuid = ?" + (forUpdate ? " FOR UPDATE" : ""), uuid);
                ResultSet rows = s.executeQuery()) {
            if (!rows.next()) {
                return new Link(Optional.empty(), false);
            }
            long id = rows.getLong(1);
            rows.getLong(2);
            boolean exists = !rows.wasNull();
            if (exists) {
                owners.put(id, Optional.ofNullable(rows.getString(3)));
            }
            return new Link(Optional.of(id), exists);
        }
    }

    private void insertLink(Connection c, String uuid, long groupId) throws SQLException {
        update(c, "INSERT INTO " + LINK_TABLE + " (group_uuid, group_id, linked_at) VALUES (?, ?, ?)", uuid, groupId,
                SqlTarget.micros(clock.instant()));
    }
}
