package org.grouprelay.targets.seafile.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.UserLookup;

/**
 * User mapping lookups in seahub's and ccnet's tables: one IN query per chunk of 500 keys, or, for
 * more than {@value #SCAN_ABOVE} keys (the consistency check maps every user at once), one pass over
 * the table filtered here, which is many times faster than hundreds of IN queries.
 */
final class SqlUserLookup implements UserLookup {
    private static final int CHUNK = 500;
    static final int SCAN_ABOVE = 5_000;

    private final Pools pools;

    SqlUserLookup(Pools pools) {
        this.pools = pools;
    }

    @Override
    public Map<String, String> find(MappingRule rule, Set<String> keys) throws SQLException {
        return switch (rule.strategy()) {
            case EMAIL -> {
                Map<String, String> found = new HashMap<>();
                existing(keys).forEach(id -> found.put(id, id));
                yield found;
            }
            case SOCIAL_AUTH -> pairs(pools.seahubReads(),
                    "SELECT uid, username FROM social_auth_usersocialauth WHERE provider = ? AND uid %s", rule.provider(), keys);
            case CONTACT_EMAIL -> pairs(pools.seahubReads(),
                    "SELECT contact_email, user FROM profile_profile WHERE contact_email %s", null, keys);
        };
    }

    /** Accounts are rows of EmailUser (local and SSO users) or LDAPUsers (Seafile's own LDAP import). */
    @Override
    public Set<String> existing(Set<String> ids) throws SQLException {
        Set<String> lower = new HashSet<>();
        ids.forEach(id -> lower.add(id.toLowerCase(Locale.ROOT)));
        Set<String> found = new HashSet<>();
        pairs(pools.ccnetReads(), "SELECT email, email FROM EmailUser WHERE email %1$s"
                + " UNION ALL SELECT email, email FROM LDAPUsers WHERE email %1$s", null, lower)
                .values().forEach(id -> found.add(id.toLowerCase(Locale.ROOT)));
        return found;
    }

    @Override
    public long accountsWatermark() throws SQLException {
        long watermark = 0;
        for (Map.Entry<DataSource, String> table : Map.of(pools.ccnetReads(), "EmailUser", pools.seahubReads(), "social_auth_usersocialauth").entrySet()) {
            watermark += maxId(table.getKey(), table.getValue());
        }
        return watermark + maxId(pools.ccnetReads(), "LDAPUsers") + maxId(pools.seahubReads(), "profile_profile");
    }

    private static long maxId(DataSource db, String table) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM " + table);
                ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** How often the key condition appears in {@code sqlTemplate} ({@code %s} once, or {@code %1$s} each time). */
    private static int lists(String sqlTemplate) {
        return sqlTemplate.contains("%1$s") ? sqlTemplate.split("%1\\$s", -1).length - 1 : 1;
    }

    /**
     * Rows (key, id) whose key is one of {@code keys} (compared case-insensitively, as Seafile's
     * collations do); {@code sqlTemplate} has {@code %s} where the key condition goes.
     */
    private static Map<String, String> pairs(DataSource db, String sqlTemplate, String firstParam, Set<String> keys)
            throws SQLException {
        Map<String, String> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (Connection connection = db.getConnection()) {
            if (keys.size() > SCAN_ABOVE) {
                Set<String> wanted = new HashSet<>();
                keys.forEach(k -> wanted.add(k.toLowerCase(Locale.ROOT)));
                query(connection, sqlTemplate.formatted("IS NOT NULL"), firstParam, List.of(), 0, (key, id) -> {
                    if (key != null && wanted.contains(key.toLowerCase(Locale.ROOT))) {
                        found.put(key, id);
                    }
                });
                return found;
            }
            List<String> all = new ArrayList<>(keys);
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                String in = "IN (" + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
                query(connection, sqlTemplate.formatted(in), firstParam, chunk, lists(sqlTemplate), found::put);
            }
        }
        return found;
    }

    private static void query(Connection connection, String sql, String firstParam, List<String> keys, int keyLists,
            java.util.function.BiConsumer<String, String> row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            if (firstParam != null) {
                statement.setString(i++, firstParam);
            }
            for (int list = 0; list < keyLists; list++) {
                for (String key : keys) {
                    statement.setString(i++, key);
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    row.accept(rows.getString(1), rows.getString(2));
                }
            }
        }
    }
}
