package org.grouprelay.target.seafile.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.grouprelay.change.GroupRef;
import org.grouprelay.mapping.UserLookup;
import org.grouprelay.target.Target;
import org.grouprelay.target.TargetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Seafile's ccnet tables the way seafile-server's group-mgr.c does (see the README's
 * "What grouprelay writes in Seafile"): lower-cased user ids, creator row with is_staff=1,
 * timestamps in microseconds, parent_group_id 0. The link from a directory group (entryUUID)
 * to its Seafile group lives in {@code grouprelay_group_link} next to Seafile's tables, so it
 * survives renames, restarts and the loss of grouprelay's own data directory.
 */
public final class SqlTarget implements Target {
    private static final Logger log = LoggerFactory.getLogger(SqlTarget.class);
    static final String LINK_TABLE = "grouprelay_group_link";
    private static final int NAME_LIMIT = 255;
    private static final int BATCH = 1000;

    private final Pools pools;
    private final SqlUserLookup users;
    private final String creator;
    private final boolean adopt;
    private final Clock clock;
    private final String describe;
    private volatile boolean schemaReady;

    public SqlTarget(SqlSettings settings, String groupCreator, boolean adopt, Clock clock) {
        this.pools = new Pools(settings);
        this.users = new SqlUserLookup(pools);
        this.creator = groupCreator.toLowerCase(Locale.ROOT);
        this.adopt = adopt;
        this.clock = clock;
        this.describe = "Seafile database " + settings.ccnetUrl();
    }

    /** Creates the link table if it is missing (needs CREATE on ccnet's database); retried until it worked. */
    public void prepareSchema() throws TargetException {
        if (schemaReady) {
            return;
        }
        run("create " + LINK_TABLE, pools.ccnet(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + LINK_TABLE + " ("
                        + "group_uuid VARCHAR(36) NOT NULL PRIMARY KEY, group_id BIGINT NOT NULL, "
                        + "linked_at BIGINT NOT NULL, UNIQUE KEY (group_id)) ENGINE=InnoDB");
            }
            return null;
        });
        schemaReady = true;
    }

    @Override
    public UserLookup users() {
        return users;
    }

    @Override
    public Optional<Long> linkedGroup(GroupRef group) throws TargetException {
        prepareSchema();
        return run("find the Seafile group of " + group, pools.ccnet(), c -> existingLink(c, group.uuid()));
    }

    @Override
    public GroupLink ensureGroup(GroupRef group) throws TargetException {
        prepareSchema();
        return transaction("create the Seafile group for " + group, pools.ccnet(), c -> {
            Optional<Long> linked = link(c, group.uuid(), true);
            if (linked.isPresent() && groupExists(c, linked.get())) {
                return new GroupLink(linked.get(), GroupLink.How.EXISTING);
            }
            if (linked.isPresent()) {
                // deleted in Seafile by hand: re-create and re-link (reported by the relay)
                update(c, "DELETE FROM " + LINK_TABLE + " WHERE group_uuid = ?", group.uuid());
            }
            if (linked.isEmpty() && adopt) {
                Optional<Long> sameName = single(c, "SELECT g.group_id FROM `Group` g LEFT JOIN " + LINK_TABLE
                        + " l ON l.group_id = g.group_id WHERE BINARY g.group_name = ? AND l.group_id IS NULL"
                        + " ORDER BY g.group_id LIMIT 1", name(group));
                if (sameName.isPresent()) {
                    insertLink(c, group.uuid(), sameName.get());
                    return new GroupLink(sameName.get(), GroupLink.How.ADOPTED);
                }
            }
            long id = createGroup(c, name(group));
            insertLink(c, group.uuid(), id);
            return new GroupLink(id, linked.isPresent() ? GroupLink.How.RECREATED : GroupLink.How.CREATED);
        });
    }

    /** Seafile's create_group_common(): Group row, then the creator as staff member, in one transaction. */
    private long createGroup(Connection c, String name) throws SQLException {
        long id;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO `Group` (group_name, creator_name, timestamp, parent_group_id) VALUES (?, ?, ?, 0)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, name);
            insert.setString(2, creator);
            insert.setLong(3, micros(clock.instant()));
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
    public void renameGroup(long groupId, GroupRef group) throws TargetException {
        run("rename Seafile group " + groupId, pools.ccnet(),
                c -> update(c, "UPDATE `Group` SET group_name = ? WHERE group_id = ?", name(group), groupId));
    }

    /** Seahub's AdminGroup.delete: shares and share permissions first, then the group rows and the link. */
    @Override
    public void deleteGroup(GroupRef group) throws TargetException {
        prepareSchema();
        Optional<Long> linked = run("find the Seafile group of " + group, pools.ccnet(), c -> link(c, group.uuid(), false));
        if (linked.isEmpty()) {
            return;
        }
        long id = linked.get();
        run("remove the shares of Seafile group " + id, pools.seafile(), c -> update(c, "DELETE FROM RepoGroup WHERE group_id = ?", id));
        run("remove the share permissions of Seafile group " + id, pools.seahub(),
                c -> update(c, "DELETE FROM share_extragroupssharepermission WHERE group_id = ?", id));
        transaction("delete Seafile group " + id, pools.ccnet(), c -> {
            update(c, "DELETE FROM `Group` WHERE group_id = ?", id);
            update(c, "DELETE FROM GroupUser WHERE group_id = ?", id);
            update(c, "DELETE FROM GroupStructure WHERE group_id = ?", id);
            return update(c, "DELETE FROM " + LINK_TABLE + " WHERE group_uuid = ?", group.uuid());
        });
    }

    @Override
    public void addMembers(long groupId, Collection<String> userIds) throws TargetException {
        transaction("add members to Seafile group " + groupId, pools.ccnet(), c -> batch(c,
                "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE group_id = group_id",
                groupId, lower(userIds)));
    }

    /** Seahub's member removal: the GroupUser row, then every share the member made to the group. */
    @Override
    public RemoveResult removeMembers(long groupId, Collection<String> userIds) throws TargetException {
        Optional<String> owner = run("read the owner of Seafile group " + groupId, pools.ccnet(),
                c -> singleString(c, "SELECT creator_name FROM `Group` WHERE group_id = ?", groupId));
        List<String> ids = new ArrayList<>(lower(userIds));
        List<String> kept = new ArrayList<>();
        owner.map(o -> o.toLowerCase(Locale.ROOT)).filter(ids::remove).ifPresent(kept::add);
        if (!ids.isEmpty()) {
            transaction("remove members from Seafile group " + groupId, pools.ccnet(),
                    c -> batch(c, "DELETE FROM GroupUser WHERE group_id = ? AND user_name = ?", groupId, ids));
            transaction("remove the shares of removed members of Seafile group " + groupId, pools.seafile(),
                    c -> batch(c, "DELETE FROM RepoGroup WHERE group_id = ? AND user_name = ?", groupId, ids));
        }
        return new RemoveResult(kept);
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public void close() {
        pools.close();
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** Seafile's column is VARCHAR(255) and its API refuses longer names: cut at 255 characters. */
    private static String name(GroupRef group) {
        String name = group.name().strip();
        if (name.codePointCount(0, name.length()) <= NAME_LIMIT) {
            return name;
        }
        log.warn("group name of {} is longer than {} characters; Seafile gets the first {}", group.dn(), NAME_LIMIT, NAME_LIMIT);
        return name.substring(0, name.offsetByCodePoints(0, NAME_LIMIT));
    }

    private static List<String> lower(Collection<String> ids) {
        return ids.stream().map(id -> id.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private Optional<Long> existingLink(Connection c, String uuid) throws SQLException {
        Optional<Long> id = link(c, uuid, false);
        return id.isPresent() && groupExists(c, id.get()) ? id : Optional.empty();
    }

    private static Optional<Long> link(Connection c, String uuid, boolean forUpdate) throws SQLException {
        return single(c, "SELECT group_id FROM " + LINK_TABLE + " WHERE group_uuid = ?" + (forUpdate ? " FOR UPDATE" : ""), uuid);
    }

    private static boolean groupExists(Connection c, long id) throws SQLException {
        return single(c, "SELECT group_id FROM `Group` WHERE group_id = ?", id).isPresent();
    }

    private void insertLink(Connection c, String uuid, long groupId) throws SQLException {
        update(c, "INSERT INTO " + LINK_TABLE + " (group_uuid, group_id, linked_at) VALUES (?, ?, ?)", uuid, groupId,
                micros(clock.instant()));
    }

    private static Optional<Long> single(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, params); ResultSet rows = s.executeQuery()) {
            return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
        }
    }

    private static Optional<String> singleString(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, params); ResultSet rows = s.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = prepare(c, sql, params)) {
            return s.executeUpdate();
        }
    }

    /** One statement, executed for each user id in batches of 1000. */
    private static int batch(Connection c, String sql, long groupId, List<String> userIds) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < userIds.size(); i++) {
                s.setLong(1, groupId);
                s.setString(2, userIds.get(i));
                s.addBatch();
                if ((i + 1) % BATCH == 0) {
                    s.executeBatch();
                }
            }
            s.executeBatch();
        }
        return userIds.size();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
        return s;
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    private static <T> T run(String what, DataSource db, SqlWork<T> work) throws TargetException {
        try (Connection c = db.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw SqlErrors.classify(what, e);
        }
    }

    private static <T> T transaction(String what, DataSource db, SqlWork<T> work) throws TargetException {
        return run(what, db, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }
}
