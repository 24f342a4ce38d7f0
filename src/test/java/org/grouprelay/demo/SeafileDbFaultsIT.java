package org.grouprelay.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fault injection the relay's failure-mode tests rely on ({@link org.grouprelay.testing.SeafileDbFaults}): a database that is down, or hung. */
class SeafileDbFaultsIT {
    @RegisterExtension
    static final PerClass<TestSeafile> SEAFILE = PerClass.of(TestSeafile::start).beforeEach(TestSeafile::reset);

    static TestSeafile seafile() {
        return SEAFILE.get();
    }

    @AfterEach
    void heal() {
        seafile().resume();
        seafile().startServer();
    }

    @Test
    void restartKeepsRowsPortAndSeafileAccount() throws SQLException {
        EmbeddedSeafileDb db = seafile().db();
        int port = db.port();
        long pidBefore = seafile().pid();
        seafile().update(EmbeddedSeafileDb.CCNET,
                "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, ?, 0)", 42, "alice@example.org");

        seafile().stopServer();
        assertThat(ProcessHandle.of(pidBefore).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(seafile().isServerRunning()).isFalse();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> DriverManager.getConnection(
                db.jdbcUrl(EmbeddedSeafileDb.CCNET) + "?connectTimeout=2000", EmbeddedSeafileDb.USER, db.password())
                .close()).isInstanceOf(SQLException.class));

        seafile().startServer();
        assertThat(db.port()).isEqualTo(port);
        assertThat(seafile().pid()).isNotEqualTo(pidBefore);
        assertThat(seafile().groupUsers(42)).containsExactly("alice@example.org");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(EmbeddedSeafileDb.CCNET), EmbeddedSeafileDb.USER,
                db.password())) {
            assertThat(groupUsers(c, 42)).containsExactly("alice@example.org");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(EmbeddedSeafileDb.CCNET),
                EmbeddedSeafileDb.USER, "wrong-" + db.password()).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void pausedServerHangsQueriesUntilResumed() throws SQLException {
        EmbeddedSeafileDb db = seafile().db();
        long pid = seafile().pid();
        String url = db.jdbcUrl(EmbeddedSeafileDb.CCNET) + "?socketTimeout=1000&connectTimeout=1000";
        try (Connection open = DriverManager.getConnection(url, EmbeddedSeafileDb.USER, db.password())) {
            assertThat(groupUsers(open, 1)).isEmpty();

            seafile().pause();

            // a pooled connection: the query is sent, no answer comes, the socket timeout fires
            long begin = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThatThrownBy(() -> groupUsers(open, 1)).isInstanceOf(SQLException.class)
                            .hasRootCauseInstanceOf(SocketTimeoutException.class));
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
            // a new connection: TCP connects (kernel backlog), the handshake never comes
            begin = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                    () -> DriverManager.getConnection(url, EmbeddedSeafileDb.USER, db.password()).close())
                    .isInstanceOf(SQLException.class));
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
        }

        seafile().resume();
        assertThat(seafile().pid()).isEqualTo(pid);
        try (Connection c = DriverManager.getConnection(url, EmbeddedSeafileDb.USER, db.password());
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (1, 'bob@example.org', 0)");
            assertThat(groupUsers(c, 1)).containsExactly("bob@example.org");
        }
    }

    @Test
    void closeWhilePausedLeavesNoServerProcess() throws Exception {
        TestSeafile other = TestSeafile.start();
        long pid;
        try {
            pid = other.pid();
            other.pause();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isPresent();
        } finally {
            assertTimeoutPreemptively(Duration.ofSeconds(60), other::close);
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThatThrownBy(other::pause).isInstanceOf(IllegalStateException.class);
    }

    private static List<String> groupUsers(Connection c, long groupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT user_name FROM GroupUser WHERE group_id = ? ORDER BY user_name")) {
            ps.setLong(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> users = new ArrayList<>();
                while (rs.next()) {
                    users.add(rs.getString(1));
                }
                return users;
            }
        }
    }
}
