package org.grouprelay.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grouprelay.config.Secret;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.mapping.MappingRule;
import org.grouprelay.mapping.Strategy;
import org.grouprelay.targets.seafile.sql.SqlSettings;
import org.grouprelay.targets.seafile.sql.SqlTarget;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQL target's behaviour suite again, as a database account that has exactly the grants of
 * {@code conf/seafile-grants.sql} (what docs/admin.md tells a database administrator to run), and proof that each of
 * those privileges is needed: without any one of them a statement the target runs is refused. The per-privilege
 * refusals are printed, as an administrator would meet them.
 */
class SqlTargetLeastGrantsIT extends SqlTargetBehaviourIT {
    static final String USER = "grouprelay";
    static final String PASSWORD = "least-grants-password";
    static final String SCRIPT = "conf/seafile-grants.sql";
    private static final Pattern GRANT = Pattern.compile("GRANT (.+) ON (\\S+) TO 'grouprelay'@'%'");

    /** Each statement of the script, for the test account. */
    static List<String> script() throws Exception {
        String sql = Files.readString(TestDirectory.projectFile(SCRIPT));
        return Arrays.stream(sql.split(";[ \\t]*\\R"))
                .map(s -> s.replaceAll("(?m)^--.*$", "").strip())
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** The account again from scratch, with {@code grants}. */
    static void account(List<String> grants) throws SQLException {
        try (Connection root = seafile().db().rootConnection(""); Statement st = root.createStatement()) {
            st.execute("DROP USER IF EXISTS '" + USER + "'@'%'");
            st.execute("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            for (String grant : grants) {
                st.execute(grant);
            }
        }
    }

    @BeforeEach
    void grantedAsTheScriptSays() throws Exception {
        account(script());
    }

    @Override
    Target target(boolean adopt) {
        return leastGranted(adopt);
    }

    static SqlTarget leastGranted(boolean adopt) {
        SqlSettings all = seafile().sqlSettings(Duration.ofSeconds(2));
        return new SqlTarget(new SqlSettings(all.ccnetUrl(), all.seahubUrl(), all.seafileUrl(), USER, new Secret(PASSWORD), all.deadline()),
                CREATOR, adopt, Clock.systemUTC());
    }

    @Test
    void everyStatementOfTheTargetRunsWithTheScriptsGrants() throws Exception {
        everyStatement();
        everyStatement(); // again, now that grouprelay_group_link exists: a second start
    }

    @Test
    void eachPrivilegeOfTheScriptIsNeeded() throws Exception {
        List<String> grants = script();
        List<String> notNeeded = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < grants.size(); i++) {
            Matcher grant = GRANT.matcher(grants.get(i));
            assertThat(grant.matches()).as(grants.get(i)).isTrue();
            List<String> privileges = Arrays.stream(grant.group(1).split(",")).map(String::strip).toList();
            for (String left : privileges) {
                List<String> without = new ArrayList<>(grants);
                List<String> rest = privileges.stream().filter(p -> !p.equals(left)).toList();
                if (rest.isEmpty()) {
                    without.remove(i);
                } else {
                    without.set(i, "GRANT " + String.join(", ", rest) + " ON " + grant.group(2) + " TO 'grouprelay'@'%'");
                }
                createLinkTable(); // MariaDB refuses a grant without CREATE on a table that does not exist
                account(without);
                dropLinkTable(); // the grants stay; the target's first start creates the table again
                try {
                    everyStatement();
                    notNeeded.add(left + " ON " + grant.group(2));
                } catch (TargetException e) {
                    assertThat(e.getMessage()).as(left + " ON " + grant.group(2)).containsAnyOf("command denied", "denied to user");
                    System.out.printf("SqlTargetLeastGrantsIT: without %s ON %s: %s (%s)%n", left, grant.group(2), e.getMessage(),
                            e.isTransient() ? "transient" : "permanent");
                }
                checked++;
            }
        }
        assertThat(notNeeded).as("privileges the target runs without").isEmpty();
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void theScriptIsAcceptedBeforeTheLinkTableExists() throws Exception {
        dropLinkTable();
        account(script());
        try (SqlTarget target = leastGranted(false)) {
            target.prepare();
        }
    }

    @Test
    void createIsNeededAtEveryStartEvenWhenTheLinkTableExists() throws Exception {
        try (SqlTarget target = leastGranted(false)) {
            target.prepare(); // the table is there now
        }
        account(script().stream().map(grant -> grant.replace("GRANT CREATE, ", "GRANT ")).toList());
        try (SqlTarget target = leastGranted(false)) {
            assertThatThrownBy(target::prepare).isInstanceOf(TargetException.class).hasMessageContaining("CREATE command denied");
        }
    }

    /** Every statement the SQL target has: start, probe, user lookups, adopt, create, members, rename, check, delete. */
    void everyStatement() throws Exception {
        resetSeafile();
        String adoptable = createGroupByHand("ops", "carol@example.org", "alice@example.org");
        seafile().db().seedSocialAuth("alice@example.org", "keycloak", "alice");
        seafile().db().seedContactEmail("bob@example.org", "bob@mail.example.org");
        try (SqlTarget target = leastGranted(true)) {
            target.prepare();
            target.probe();
            assertThat(target.users().find(MappingRule.DEFAULT, Set.of("alice@example.org"))).containsKey("alice@example.org");
            assertThat(target.users().find(new MappingRule(Strategy.SOCIAL_AUTH, "keycloak", "uid"), Set.of("alice"))).containsKey("alice");
            assertThat(target.users().find(new MappingRule(Strategy.CONTACT_EMAIL, null, "mail"), Set.of("bob@mail.example.org"))).hasSize(1);
            assertThat(ensure(target, OPS).how()).isEqualTo(Target.GroupLink.How.ADOPTED);
            assertThat(ensure(target, OPS).groupId()).isEqualTo(adoptable);
            String id = in(target, s -> s.ensureGroup(DEVS).groupId());
            run(target, s -> s.addMembers(id, List.of("alice@example.org", "bob@example.org")));
            run(target, s -> s.addMembers(id, List.of("alice@example.org")));
            in(target, s -> s.removeMembers(id, List.of("bob@example.org")));
            run(target, s -> s.renameGroup(id, group(DEVS.uuid(), "developers")));
            Set<String> members = in(target, s -> s.members(id));
            assertThat(members).containsExactlyInAnyOrder(CREATOR, "alice@example.org");
            assertThat(target.snapshot().links()).containsOnlyKeys(DEVS.uuid(), OPS.uuid());
            run(target, s -> s.deleteGroup(DEVS));
            assertThat(linked(target, DEVS)).isEmpty();
        }
    }

    static void dropLinkTable() throws SQLException {
        asRoot("DROP TABLE IF EXISTS grouprelay_group_link");
    }

    static void createLinkTable() throws SQLException {
        asRoot("CREATE TABLE IF NOT EXISTS grouprelay_group_link (group_uuid VARCHAR(36) NOT NULL PRIMARY KEY, group_id BIGINT NOT NULL,"
                + " linked_at BIGINT NOT NULL, UNIQUE KEY (group_id)) ENGINE=InnoDB");
    }

    static void asRoot(String sql) throws SQLException {
        try (Connection root = seafile().db().rootConnection(EmbeddedSeafileDb.CCNET); Statement st = root.createStatement()) {
            st.execute(sql);
        }
    }
}
