package org.grouprelay.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.ServedJar;
import org.grouprelay.testing.TestSeafile;

/** What {@link CrashIT} compares after a kill: the directory's members with Seafile's rows, and the audit log. */
final class CrashChecks {
    static final String PLACEHOLDER = "cn=empty-membership-placeholder";
    static final Duration CONVERGE = Duration.ofSeconds(30);

    private final TestSeafile seafile;
    private final String creator;

    CrashChecks(TestSeafile seafile, String creator) {
        this.seafile = seafile;
        this.creator = creator;
    }

    /** {@code count} user names with Seafile accounts ({@code name@example.org}). */
    List<String> users(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        seafile.seedAccounts(names);
        return names;
    }

    interface LdapCall {
        void run() throws Exception;
    }

    /** Runs {@code call} and returns how long its reply took, in ms. */
    static long timed(LdapCall call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The group's user members as Seafile ids: {@code uid=x,ou=people,...} → {@code x@example.org}; no placeholder. */
    static Set<String> directoryMembers(LDAPConnection ldap, String cn) throws Exception {
        Set<String> members = new TreeSet<>();
        for (String dn : ldap.getEntry("cn=" + cn + "," + GROUPS, "member").getAttributeValues("member")) {
            String lower = dn.toLowerCase(Locale.ROOT);
            if (lower.equals(PLACEHOLDER)) {
                continue;
            }
            assertThat(lower).as("member value").startsWith("uid=").endsWith("," + PEOPLE);
            members.add(lower.substring(4, lower.indexOf(',')) + "@example.org");
        }
        return members;
    }

    /** Seafile's GroupUser rows of the (single) Seafile group named {@code cn}, without the creator; empty if there is none yet. */
    Set<String> seafileMembers(String cn) {
        List<Map<String, Object>> groups = seafile.query(EmbeddedSeafileDb.CCNET,
                "SELECT group_id FROM `Group` WHERE BINARY group_name = ?", cn);
        assertThat(groups).as("Seafile groups named " + cn).hasSizeLessThanOrEqualTo(1);
        if (groups.isEmpty()) {
            return Set.of();
        }
        long id = ((Number) groups.get(0).get("group_id")).longValue();
        List<String> rows = seafile.groupUsers(id);
        assertThat(rows).as("GroupUser rows of " + cn).doesNotHaveDuplicates();
        Set<String> members = new TreeSet<>(rows);
        members.remove(creator);
        return members;
    }

    int creatorRows(String cn) {
        return seafile.query(EmbeddedSeafileDb.CCNET, "SELECT u.user_name FROM GroupUser u JOIN `Group` g ON g.group_id = u.group_id"
                + " WHERE BINARY g.group_name = ? AND u.user_name = ?", cn, creator).size();
    }

    /** Polls until every group's Seafile members equal {@code expected}; fails with the difference and the log otherwise. */
    void awaitConverged(ServedJar jar, JarProcess server, Map<String, Set<String>> expected) throws Exception {
        long end = System.nanoTime() + CONVERGE.toNanos();
        while (true) {
            // an intermediate state may equal the final one: the outbox must also be drained
            boolean done = jar.backlog().depth() == 0;
            for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                done &= seafileMembers(e.getKey()).equals(e.getValue());
            }
            if (done) {
                return;
            }
            if (System.nanoTime() > end) {
                StringBuilder diff = new StringBuilder();
                for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                    diff.append(e.getKey()).append(": directory ").append(e.getValue()).append(", Seafile ")
                            .append(seafileMembers(e.getKey())).append('\n');
                }
                throw new AssertionError("Seafile did not converge within " + CONVERGE + ":\n" + diff + "grouprelay output:\n"
                        + server.output() + "\noutbox:\n" + jar.outbox());
            }
            Thread.sleep(200);
        }
    }

    /** One short line per audit entry: change, group, user, outcome and reason. */
    static String summary(List<String> auditLines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder text = new StringBuilder();
        for (String line : auditLines) {
            JsonNode entry = json.readTree(line);
            text.append(entry.path("time").asText()).append(' ').append(entry.path("change").asText()).append(' ')
                    .append(entry.path("group").asText()).append(' ').append(entry.path("user").asText("-").replace("," + PEOPLE, ""))
                    .append(": ").append(entry.path("outcome").asText()).append(' ').append(entry.path("reason").asText(""))
                    .append('\n');
        }
        return text.toString();
    }

    static int indexOf(List<String> lines, Predicate<String> predicate) {
        for (int i = 0; i < lines.size(); i++) {
            if (predicate.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
