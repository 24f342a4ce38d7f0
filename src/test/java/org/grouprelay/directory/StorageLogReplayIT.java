package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import jdbm.recman.BaseRecordManager;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code kill -9} between JDBM writing a transaction to its log and writing it into the data file leaves that
 * transaction in {@code grouprelay.lg}; the next start replays it. JDBM reads the data file's header before it replays
 * its log, so a replayed transaction that added pages left ApacheDS with the header from before it: the next write
 * walked a page that was no longer the last one and failed ({@code ERR_562 Offset too large for record header}, then
 * {@code ERR_554 double get for block} for every write after it: the crash test saw this after about one restart in
 * fifteen). The state is made here exactly: the partition's log holds a committed transaction that allocated pages,
 * the data file does not have it yet.
 */
class StorageLogReplayIT {
    static final int ADDED = 40;
    static TestDirectory directory;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.create(LdapFixtures.people(IntStream.range(0, 20).mapToObj(i -> "user" + i).toList())).startDirectoryOnly();
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void aTransactionLoggedButNotYetInTheDataFileIsReplayedBeforeTheDirectoryWrites() throws Exception {
        directory.stop();
        Path partition = directory.home().resolve("data/partitions/grouprelay");
        Path data = partition.resolve("grouprelay.db");
        Path log = partition.resolve("grouprelay.lg");
        long pagesBefore = Files.size(data) / 8192;

        // a transaction of three pages' worth, committed to the log: the state a kill leaves at this instant
        Path killed = Files.createTempDirectory(directory.home(), "killed-");
        BaseRecordManager recman = new BaseRecordManager(partition.resolve("grouprelay").toString());
        try {
            recman.getTransactionManager();
            recman.insert(new byte[3 * 8192]);
            recman.commit();
            Files.copy(data, killed.resolve("grouprelay.db"));
            Files.copy(log, killed.resolve("grouprelay.lg"));
        } finally {
            recman.close();
        }
        Files.copy(killed.resolve("grouprelay.db"), data, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(killed.resolve("grouprelay.lg"), log, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(data) / 8192).as("data file pages before the start (the transaction is only in the log)").isEqualTo(pagesBefore);
        assertThat(Files.size(log)).as("log").isGreaterThan(3 * 8192);

        directory.startDirectoryOnly();
        List<String> added = new ArrayList<>();
        try (LDAPConnection ldap = directory.admin()) {
            ldap.getConnectionOptions().setResponseTimeoutMillis(60_000); // a write that hit the stale header never answered
            for (int i = 0; i < ADDED; i++) {
                // entries of ~2 KB: new records at the end of the data file, on the pages the replay added
                String uid = "after" + i;
                LDAPResult result = ldap.add(new Entry("uid=" + uid + "," + PEOPLE, List.of(
                        new Attribute("objectClass", "inetOrgPerson"),
                        new Attribute("uid", uid), new Attribute("cn", uid),
                        new Attribute("sn", uid),
                        new Attribute("description", ("entry " + i + " ").repeat(250)))));
                assertThat(result.getResultCode()).as("add %s after the replay", uid).isEqualTo(ResultCode.SUCCESS);
                added.add(uid);
            }
        }
        directory.stop();
        directory.startDirectoryOnly();
        try (LDAPConnection ldap = directory.admin()) {
            List<String> people = ldap.search(PEOPLE, SearchScope.ONE, "(uid=*)", "uid").getSearchEntries().stream()
                    .map(e -> e.getAttributeValue("uid")).toList();
            assertThat(people).as("people after a clean restart").hasSize(20 + ADDED).containsAll(added);
            for (String uid : added) {
                assertThat(ldap.getEntry("uid=" + uid + "," + PEOPLE).getAttributeValue("description")).startsWith("entry ");
            }
        }
    }

    @Test
    void aSecondDirectoryOnTheSameDataIsRefusedBeforeItTouchesTheLog() throws Exception {
        TestDirectory first = TestDirectory.create("").startDirectoryOnly();
        try {
            Path log = first.home().resolve("data/partitions/grouprelay/grouprelay.lg");
            Object inode = Files.getAttribute(log, "unix:ino");
            assertThatThrownBy(() -> EmbeddedDirectory.start(first.config(), TestDirectory.environment(), Clock.systemUTC()))
                    .hasMessageContaining("locked");
            assertThat(Files.getAttribute(log, "unix:ino")).as("the running directory's log file").isEqualTo(inode);
            try (LDAPConnection ldap = first.admin()) {
                ldap.add(new Entry("uid=second-try," + PEOPLE, List.of(new Attribute("objectClass", "inetOrgPerson"),
                        new Attribute("cn", "x"), new Attribute("sn", "x"))));
            }
            first.stop();
            first.startDirectoryOnly();
            try (LDAPConnection ldap = first.admin()) {
                assertThat(ldap.getEntry("uid=second-try," + PEOPLE)).isNotNull();
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aDamagedLogStopsTheStartWithWhatToDo() throws Exception {
        TestDirectory damaged = TestDirectory.create("").startDirectoryOnly();
        try {
            damaged.stop();
            Path log = damaged.home().resolve("data/partitions/grouprelay/grouprelay.lg");
            try (var out = new ObjectOutputStream(Files.newOutputStream(log))) {
                out.writeShort(0x1234); // not JDBM's log magic
            }
            assertThatThrownBy(damaged::startDirectoryOnly).hasMessageContaining("directory partition grouprelay")
                    .hasMessageContaining("cannot be read").hasMessageContaining("from a backup");
        } finally {
            damaged.close();
        }
    }
}
