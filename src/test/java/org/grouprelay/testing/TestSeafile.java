package org.grouprelay.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.config.Secret;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.targets.seafile.sql.SqlSettings;

/**
 * One embedded Seafile MariaDB for a test class (start it in {@code @BeforeAll}, close it in
 * {@code @AfterAll}), with plain SQL helpers. Starting costs seconds, so tests {@link #reset()} instead.
 */
public final class TestSeafile implements AutoCloseable {
    public static final List<String> DATABASES =
            List.of(EmbeddedSeafileDb.CCNET, EmbeddedSeafileDb.SEAFILE, EmbeddedSeafileDb.SEAHUB);

    private final Path home;
    private final EmbeddedSeafileDb db;
    private final SeafileDbFaults faults;

    private TestSeafile(Path home, EmbeddedSeafileDb db, SeafileDbFaults faults) {
        this.home = home;
        this.db = db;
        this.faults = faults;
    }

    /** Starts a server in a fresh temporary directory on a free port. */
    public static TestSeafile start() throws Exception {
        Path home = Files.createTempDirectory("grouprelay-seafile-");
        EmbeddedSeafileDb db = null;
        try {
            db = EmbeddedSeafileDb.start(home, 0);
            return new TestSeafile(home, db, new SeafileDbFaults(db));
        } catch (Exception | Error e) {
            if (db != null) {
                db.close();
            }
            TempFiles.deleteRecursively(home);
            throw e;
        }
    }

    public EmbeddedSeafileDb db() {
        return db;
    }

    public String jdbcUrl(String database) {
        return db.jdbcUrl(database);
    }

    /** The {@code seafile.sql} section for the three databases, as {@link EmbeddedSeafileDb#USER}. */
    public SeafileConfig.Sql sqlConfig() {
        return new SeafileConfig.Sql(db.jdbcUrl(EmbeddedSeafileDb.CCNET), db.jdbcUrl(EmbeddedSeafileDb.SEAHUB),
                db.jdbcUrl(EmbeddedSeafileDb.SEAFILE), EmbeddedSeafileDb.USER, new Secret(db.password()));
    }

    /** What a SQL target needs to reach the three databases, as {@link EmbeddedSeafileDb#USER}, within {@code timeout}. */
    public SqlSettings sqlSettings(Duration timeout) {
        SeafileConfig.Sql sql = sqlConfig();
        return new SqlSettings(sql.ccnetUrl(), sql.seahubUrl(), sql.seafileUrl(), sql.user(), sql.password(), timeout);
    }

    /** Active Seafile accounts {@code <name>@example.org}, as a first login creates them. */
    public void seedAccounts(String... names) {
        seedAccounts(List.of(names));
    }

    public void seedAccounts(List<String> names) {
        for (String name : names) {
            db.seedUser(name + "@example.org", true);
        }
    }

    /** The mariadbd process id. */
    public long pid() {
        return faults.pid();
    }

    /** Whether mariadbd is running (possibly paused). */
    public boolean isServerRunning() {
        return faults.isServerRunning();
    }

    /** Freezes the server (SIGSTOP): connections are accepted, nothing answers. See {@link SeafileDbFaults#pause()}. */
    public void pause() {
        faults.pause();
    }

    /** Unfreezes a {@link #pause() paused} server (SIGCONT). */
    public void resume() {
        faults.resume();
    }

    /** Shuts the server down; connections are refused until {@link #startServer()}. */
    public void stopServer() {
        faults.stopServer();
    }

    /** Starts the server again on the same port, with the same data and accounts. */
    public void startServer() {
        faults.startServer();
    }

    /**
     * {@code count} active SSO accounts {@code email.apply(0)} … {@code email.apply(count - 1)} in one transaction of
     * batched inserts: data sets of many thousand users, where {@link EmbeddedSeafileDb#seedUser} one by one would take minutes.
     */
    public void seedAccountsInBulk(int count, IntFunction<String> email) {
        try (Connection c = db.rootConnection(EmbeddedSeafileDb.CCNET);
                PreparedStatement s = c.prepareStatement("INSERT INTO EmailUser (email, passwd, is_staff, is_active, ctime) "
                        + "VALUES (?, '!', 0, 1, 0)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                s.setString(1, email.apply(i));
                s.addBatch();
                if (i % 10_000 == 9_999) {
                    s.executeBatch();
                }
            }
            s.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not seed " + count + " accounts", e);
        }
    }

    /** Empties every table of the three databases; AUTO_INCREMENT restarts at 1. */
    public void reset() {
        for (String database : DATABASES) {
            List<String> tables = query(database, "SELECT table_name AS t FROM information_schema.tables"
                    + " WHERE table_schema = ? AND table_type = 'BASE TABLE'", database)
                    .stream().map(row -> (String) row.get("t")).toList();
            try (Connection c = db.rootConnection(database); Statement st = c.createStatement()) {
                for (String table : tables) {
                    st.execute("TRUNCATE TABLE `" + table + "`");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not reset " + database, e);
            }
        }
    }

    /** Rows as column label → value maps, in result order. */
    public List<Map<String, Object>> query(String database, String sql, Object... params) {
        try (Connection c = db.rootConnection(database); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed on " + database + ": " + sql, e);
        }
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the affected row count. */
    public int update(String database, String sql, Object... params) {
        try (Connection c = db.rootConnection(database); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Update failed on " + database + ": " + sql, e);
        }
    }

    /** The group's members ({@code GroupUser.user_name}), sorted. */
    public List<String> groupUsers(long groupId) {
        return query(EmbeddedSeafileDb.CCNET, "SELECT user_name FROM GroupUser WHERE group_id = ? ORDER BY user_name",
                groupId).stream().map(row -> (String) row.get("user_name")).toList();
    }

    /** All rows of {@code Group}, by group_id. */
    public List<Map<String, Object>> groups() {
        return query(EmbeddedSeafileDb.CCNET, "SELECT * FROM `Group` ORDER BY group_id");
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    @Override
    public void close() {
        try {
            faults.close();
        } finally {
            TempFiles.deleteRecursively(home);
        }
    }
}
