package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LDAP reply of a relayed write waits for Seafile; the directory's write lock does not. With
 * Seafile's database hung (SIGSTOP), four clients write to four groups while a fifth logs in the way
 * Keycloak does (bind as the user, search the user, search their groups).
 */
class HeldReplyIT {
    static final Duration DEADLINE = Duration.ofSeconds(5);
    static final List<String> WRITERS = List.of("w1", "w2", "w3", "w4");
    static TestSeafile seafile;
    static TestDirectory directory;

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        String people = LdapFixtures.person("reader") + "userPassword: reader-secret\n"
                + LdapFixtures.people("alice", "bob", "carol", "dave", "erin");
        seafile.seedAccounts("alice", "bob", "carol", "dave", "erin");
        directory = TestDirectory.create(people).relayingTo(seafile, Relaying.relayMode().deadline(DEADLINE)).start();
    }

    @AfterAll
    static void stop() {
        seafile.resume();
        directory.close();
        seafile.close();
    }

    @Test
    void readsAreAnsweredWhileWritesWaitForAHungSeafileAndTheWritersAreAnsweredTogetherAtTheirDeadline() throws Exception {
        try (LDAPConnection admin = directory.admin()) {
            for (String group : WRITERS) {
                LdapFixtures.createGroup(admin, group, "alice");
            }
        }
        List<LDAPConnection> writers = new ArrayList<>();
        for (int i = 0; i < WRITERS.size(); i++) {
            writers.add(directory.admin());
        }
        ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
        seafile.pause();
        List<CompletableFuture<Long>> answered = new ArrayList<>();
        try {
            for (int i = 0; i < WRITERS.size(); i++) {
                LDAPConnection ldap = writers.get(i);
                String group = WRITERS.get(i);
                answered.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        LdapFixtures.modify(ldap, group, ModificationType.ADD, "bob");
                        replies.add("write " + group);
                        return System.nanoTime();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            // every write is committed (visible to readers) while its reply still waits for Seafile
            try (LDAPConnection reader = directory.keycloak()) {
                for (String group : WRITERS) {
                    awaitMember(reader, group, "uid=bob," + PEOPLE);
                }
                // a Keycloak login: bind as the user on a new connection, then the service account's searches
                for (int login = 0; login < 5; login++) {
                    try (LDAPConnection user = new LDAPConnection("127.0.0.1", directory.ldapPort())) {
                        user.bind("uid=reader," + PEOPLE, "reader-secret");
                    }
                    SearchResult self = reader.search(PEOPLE, SearchScope.ONE, "(uid=reader)", "uid", "mail");
                    assertThat(self.getEntryCount()).isEqualTo(1);
                    SearchResult groups = reader.search(GROUPS, SearchScope.SUB, "(member=uid=bob," + PEOPLE + ")", "cn");
                    assertThat(groups.getEntryCount()).isEqualTo(WRITERS.size());
                    replies.add("login " + login);
                }
            }
            assertThat(answered).as("no write is answered while Seafile hangs and the deadline has not passed")
                    .noneMatch(CompletableFuture::isDone);
            assertThat(replies).allMatch(r -> r.startsWith("login"));

            List<Long> at = new ArrayList<>();
            for (CompletableFuture<Long> write : answered) {
                at.add(write.get(DEADLINE.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS));
            }
            long spread = at.stream().mapToLong(Long::longValue).max().orElseThrow() - at.stream().mapToLong(Long::longValue).min().orElseThrow();
            // one after another (each waiting for the one before it) would spread them over three deadlines
            assertThat(Duration.ofNanos(spread)).as("writers answered together").isLessThan(DEADLINE);
        } finally {
            seafile.resume();
            writers.forEach(LDAPConnection::close);
        }
        assertThat(directory.relay().relay().orElseThrow().awaitDrained(Duration.ofSeconds(30))).isTrue();
        for (String group : WRITERS) {
            assertThat(seafile.query(EmbeddedSeafileDb.CCNET, "SELECT u.user_name FROM `Group` g JOIN GroupUser u USING (group_id)"
                    + " WHERE g.group_name = ? AND u.is_staff = 0 ORDER BY u.user_name", group))
                    .extracting(r -> r.get("user_name")).containsExactly("alice@example.org", "bob@example.org");
        }
    }

    private static void awaitMember(LDAPConnection ldap, String group, String member) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!List.of(ldap.getEntry("cn=" + group + "," + GROUPS, "member").getAttributeValues("member")).contains(member)) {
            assertThat(System.nanoTime()).as("member " + member + " in " + group).isLessThan(end);
            Thread.sleep(10);
        }
    }
}
