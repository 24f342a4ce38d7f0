package org.grouprelay.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedSeafileDbIT {
    @RegisterExtension
    static final PerClass<TestSeafile> SEAFILE = PerClass.of(TestSeafile::start).beforeEach(TestSeafile::reset);

    static TestSeafile seafile() {
        return SEAFILE.get();
    }

    @Test
    void holdsSeafileDatabasesAndTables() {
        assertThat(tables(EmbeddedSeafileDb.CCNET)).containsExactlyInAnyOrder("EmailUser", "Group", "GroupDNPair",
                "GroupStructure", "GroupUser", "LDAPUsers", "OrgGroup", "UserRole");
        assertThat(tables(EmbeddedSeafileDb.SEAFILE)).containsExactly("RepoGroup");
        assertThat(tables(EmbeddedSeafileDb.SEAHUB)).containsExactlyInAnyOrder("social_auth_usersocialauth",
                "profile_profile", "share_extragroupssharepermission");
    }

    @Test
    void unicodeAndEmojiGroupNamesRoundTrip() {
        String name = "Équipe 研究 — Ops 🚀👩‍💻";
        seafile().update(EmbeddedSeafileDb.CCNET, "INSERT INTO `Group` (group_name, creator_name, timestamp,"
                + " parent_group_id) VALUES (?, 'system admin', 1, 0)", name);

        List<Map<String, Object>> groups = seafile().groups();
        assertThat(groups).singleElement().satisfies(g -> assertThat(g.get("group_name")).isEqualTo(name));
    }

    @Test
    void seafileUserConnectsWithItsPasswordOnly() throws SQLException {
        EmbeddedSeafileDb db = seafile().db();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl(EmbeddedSeafileDb.CCNET));
        config.setUsername(EmbeddedSeafileDb.USER);
        config.setPassword(db.password());
        try (HikariDataSource pool = new HikariDataSource(config); Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO GroupUser (group_id, user_name, is_staff) VALUES (?, ?, 0)")) {
            ps.setLong(1, 7);
            ps.setString(2, "alice@example.org");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(seafile().groupUsers(7)).containsExactly("alice@example.org");

        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(EmbeddedSeafileDb.CCNET),
                EmbeddedSeafileDb.USER, "wrong-" + db.password()).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void seedsUsersAsSeafileDoes() {
        EmbeddedSeafileDb db = seafile().db();
        db.seedUser("0123abcd@auth.local", true);
        db.seedSocialAuth("0123abcd@auth.local", "keycloak", "8f1c-uuid");
        db.seedContactEmail("0123abcd@auth.local", "alice@example.org");

        Map<String, Object> user = seafile().query(EmbeddedSeafileDb.CCNET, "SELECT * FROM EmailUser").get(0);
        assertThat(user).containsEntry("email", "0123abcd@auth.local").containsEntry("passwd", "!");
        // microseconds since the epoch, like g_get_real_time()
        assertThat((Long) user.get("ctime")).isGreaterThan(System.currentTimeMillis() * 100);
        assertThat(seafile().query(EmbeddedSeafileDb.SEAHUB,
                "SELECT p.user FROM social_auth_usersocialauth s JOIN profile_profile p ON p.user = s.username"
                        + " WHERE s.provider = ? AND s.uid = ? AND p.contact_email = ?",
                "keycloak", "8f1c-uuid", "alice@example.org")).hasSize(1);
    }

    @Test
    void stopClosesThePort() throws Exception {
        try (TestSeafile other = TestSeafile.start()) {
            int port = other.db().port();
            assertThat(accepts(port)).isTrue();
            ProcessHandle mariadbd = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("--port=" + port))
                    .findFirst().orElseThrow();
            other.db().stop();
            assertThat(mariadbd.isAlive()).isFalse();
            assertThat(accepts(port)).isFalse();
        }
    }

    private static List<String> tables(String database) {
        return seafile().query(database, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ?",
                database).stream().map(row -> (String) row.get("t")).toList();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
