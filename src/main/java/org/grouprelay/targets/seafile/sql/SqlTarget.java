package org.grouprelay.targets.seafile.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.targets.Snapshot;
import java.util.List;
import org.grouprelay.mapping.Accounts;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.UserLookup;
import org.grouprelay.mapping.UserMapper;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;

/**
 * Seafile's MariaDB/MySQL databases as a {@link Target}. Writes happen in {@link SqlSession}s, one
 * transaction per database. The link from a directory group (entryUUID) to its Seafile group lives
 * in {@code grouprelay_group_link} next to Seafile's tables, so it survives renames, restarts and the
 * loss of grouprelay's own data directory.
 */
public final class SqlTarget implements Target {
    static final String LINK_TABLE = "grouprelay_group_link";

    private final Pools pools;
    private final SqlUserLookup users;
    private final UserMapper accounts;
    private final String creator;
    private final boolean adopt;
    private final Clock clock;
    private final String describe;
    private volatile boolean schemaReady;

    public SqlTarget(SqlSettings settings, String groupCreator, boolean adopt, Clock clock) {
        this(settings, groupCreator, adopt, List.of(MappingRule.DEFAULT), clock);
    }

    /** {@code rules}: the user-mapping chain ({@code seafile.users}). */
    public SqlTarget(SqlSettings settings, String groupCreator, boolean adopt, List<MappingRule> rules, Clock clock) {
        this.pools = new Pools(settings);
        this.users = new SqlUserLookup(pools);
        this.accounts = new UserMapper(rules, users);
        this.creator = groupCreator.toLowerCase(Locale.ROOT);
        this.adopt = adopt;
        this.clock = clock;
        this.describe = "Seafile database " + settings.ccnetUrl();
    }

    /** Creates the link table if it is missing (needs CREATE on ccnet's database); retried until it worked. */
    @Override
    public void prepare() throws TargetException {
        prepareSchema();
    }

    /** Creates the link table next to Seafile's tables, once. */
    public void prepareSchema() throws TargetException {
        if (schemaReady) {
            return;
        }
        try (Connection c = pools.ccnet().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + LINK_TABLE + " ("
                    + "group_uuid VARCHAR(36) NOT NULL PRIMARY KEY, group_id BIGINT NOT NULL, "
                    + "linked_at BIGINT NOT NULL, UNIQUE KEY (group_id)) ENGINE=InnoDB");
        } catch (SQLException e) {
            throw SqlErrors.classify("create " + LINK_TABLE, e);
        }
        schemaReady = true;
    }

    /** Batch lookups in Seafile's account tables. */
    public UserLookup users() {
        return users;
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    /** One index-only query (the account tables' highest ids), bounded by the pool's timeouts. */
    @Override
    public void probe() throws TargetException {
        try {
            users.accountsWatermark();
        } catch (SQLException e) {
            throw SqlErrors.classify("read Seafile's account tables", e);
        }
    }

    /** Two queries: the links joined with their groups, then all members of linked groups. */
    @Override
    public Snapshot snapshot() throws TargetException {
        prepareSchema();
        Map<String, Snapshot.Linked> links = new HashMap<>();
        Map<String, Set<String>> members = new HashMap<>();
        try (Connection c = pools.ccnet().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rows = s.executeQuery("SELECT l.group_uuid, l.group_id, g.group_name, g.creator_name FROM "
                    + LINK_TABLE + " l LEFT JOIN `Group` g ON g.group_id = l.group_id")) {
                while (rows.next()) {
                    String name = rows.getString(3);
                    links.put(rows.getString(1), new Snapshot.Linked(rows.getString(1), String.valueOf(rows.getLong(2)), Optional.ofNullable(name),
                            Optional.ofNullable(rows.getString(4)).map(n -> n.toLowerCase(Locale.ROOT))));
                }
            }
            try (ResultSet rows = s.executeQuery("SELECT u.group_id, u.user_name FROM GroupUser u JOIN " + LINK_TABLE
                    + " l ON l.group_id = u.group_id")) {
                while (rows.next()) {
                    members.computeIfAbsent(String.valueOf(rows.getLong(1)), id -> new HashSet<>()).add(rows.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.classify("read Seafile's groups", e);
        }
        return new Snapshot(links, members);
    }

    @Override
    public SqlSession begin() {
        return new SqlSession(pools, this::prepareSchema, creator, adopt, clock);
    }

    @Override
    public String groupName(org.grouprelay.change.GroupRef group) {
        return SqlSession.seafileName(group.name());
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
}
