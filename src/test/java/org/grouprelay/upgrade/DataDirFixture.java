package org.grouprelay.upgrade;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;

/**
 * A {@code dataDir} that one release of grouprelay wrote, kept in {@code src/test/resources/datadir-fixtures/<release>/}
 * so every later release is tested on it (docs/admin.md, "Each release adds its dataDir fixture"):
 * <ul>
 * <li>{@code data.tar.gz}: the data directory ({@code data/}) as {@code serve} left it after a clean stop;</li>
 * <li>{@code seafile.sql}: the rows {@code serve} wrote into Seafile's {@code ccnet_db} meanwhile (groups, members,
 * links), so the directory and Seafile start in step, as after an upgrade;</li>
 * <li>{@code fixture.properties}: what is in it: the release, the service account's password, a user and password,
 * each group's members and the memberships still pending (users without a Seafile account).</li>
 * </ul>
 */
record DataDirFixture(String release, Path dir, Properties properties) {
    static final Path ALL = TestDirectory.projectFile("src/test/resources/datadir-fixtures");
    static final String ARCHIVE = "data.tar.gz";
    static final String SEAFILE_ROWS = "seafile.sql";
    static final String PROPERTIES = "fixture.properties";
    /** The ccnet_db tables whose rows a fixture keeps. */
    static final List<String> TABLES = List.of("`Group`", "GroupUser", "grouprelay_group_link");

    /** Every fixture, oldest release first (by name). */
    static List<DataDirFixture> all() throws IOException {
        try (Stream<Path> dirs = Files.list(ALL)) {
            return dirs.filter(Files::isDirectory).sorted().map(DataDirFixture::read).toList();
        }
    }

    static DataDirFixture read(Path dir) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve(PROPERTIES), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(dir + ": " + PROPERTIES + " unreadable", e);
        }
        return new DataDirFixture(dir.getFileName().toString(), dir, properties);
    }

    String property(String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalStateException(dir.resolve(PROPERTIES) + " has no " + key);
        }
        return value;
    }

    /** Group name → the uids of its members, as the fixture says the directory has them. */
    Map<String, Set<String>> groups() {
        return prefixed("group.");
    }

    /** Group name → the uids whose membership waits for a Seafile account. */
    Map<String, Set<String>> pending() {
        return prefixed("pending.");
    }

    private Map<String, Set<String>> prefixed(String prefix) {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().filter(k -> k.startsWith(prefix)).sorted().forEach(key -> groups.put(
                key.substring(prefix.length()), new TreeSet<>(Arrays.asList(properties.getProperty(key).split(",")))));
        return groups;
    }

    /** Unpacks the data directory as {@code parent/data}. */
    void extractTo(Path parent) throws Exception {
        tar("-xzf", dir.resolve(ARCHIVE).toString(), "-C", parent.toString());
    }

    /** Puts the fixture's Seafile rows into {@code seafile}'s ccnet_db. */
    void loadSeafileRows(TestSeafile seafile) throws IOException, SQLException {
        try (Connection root = seafile.db().rootConnection(EmbeddedSeafileDb.CCNET); Statement st = root.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS grouprelay_group_link (group_uuid VARCHAR(36) NOT NULL PRIMARY KEY,"
                    + " group_id BIGINT NOT NULL, linked_at BIGINT NOT NULL, UNIQUE KEY (group_id)) ENGINE=InnoDB");
            for (String line : Files.readAllLines(dir.resolve(SEAFILE_ROWS), StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("--")) {
                    st.execute(line.strip().replaceAll(";$", ""));
                }
            }
        }
    }

    /** {@code tar} with {@code args}; fails with its output. */
    static void tar(String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of("tar"), Arrays.stream(args)).toList();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
