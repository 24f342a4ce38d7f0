package org.grouprelay.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.user;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.grouprelay.config.ExpiryConfig;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.directory.ExpiryValue;
import org.grouprelay.testing.ConfigYaml;
import org.grouprelay.testing.JarProcess;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.grouprelay.testing.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code grouprelay memberships} and the check's findings of memberships that are over, run as operators run them (the
 * jar beside a directory that relays to a real MariaDB). The directory runs with {@code expiry.enforce: false}, so a
 * membership that is over stays until {@code check --repair} ends it.
 */
class MembershipsCliIT {
    static final List<String> NAMES = List.of("alice", "bob", "carol", "dave");
    static TestSeafile seafile;
    static TestDirectory directory;
    static Path config;
    static Map<String, String> env;
    static final Instant NOW = Instant.now();

    @BeforeAll
    static void start() throws Exception {
        seafile = TestSeafile.start();
        seafile.seedAccounts(NAMES);
        directory = TestDirectory.create(LdapFixtures.people(NAMES)).relayingTo(seafile, Relaying.relayMode())
                .withExpiry(new ExpiryConfig(false, 21, Optional.empty(), Optional.empty(), Duration.ofSeconds(1))).start();
        try (LDAPConnection ldap = directory.admin()) {
            group(ldap, "crew", List.of("alice", "bob", "carol"), List.of(at(NOW.plus(Duration.ofDays(3)), "alice"),
                    at(NOW.plus(Duration.ofDays(40)), "bob")));
            group(ldap, "old-crew", List.of("dave", "carol"), List.of(at(NOW.minus(Duration.ofHours(1)), "dave")));
        }
        ConfigYaml yaml = ConfigYaml.of(directory).seafileSql(seafile).section("expiry:\n  enforce: false\n");
        config = yaml.writeTo(directory.home().resolve("memberships.yaml"));
        env = yaml.environment(TestDirectory.ADMIN_PASSWORD, TestDirectory.KEYCLOAK_PASSWORD);
        Waits.until(Duration.ofSeconds(60), () -> seafileMembers("old-crew").size() == 2);
    }

    @AfterAll
    static void stop() {
        directory.close();
        seafile.close();
    }

    static String at(Instant time, String name) {
        return ExpiryValue.time(time) + " " + user(name);
    }

    static void group(LDAPConnection ldap, String cn, List<String> members, List<String> ends) throws Exception {
        List<String> values = new ArrayList<>(List.of("cn=empty-membership-placeholder"));
        members.forEach(m -> values.add(user(m)));
        ldap.add(new Entry("cn=" + cn + "," + GROUPS, new Attribute("objectClass", "top", "groupOfNames", "grouprelayExpiringGroup"),
                new Attribute("cn", cn), new Attribute("member", values), new Attribute("grouprelayMemberExpiry", ends)));
    }

    static List<String> seafileMembers(String cn) {
        List<Map<String, Object>> rows = seafile.query(EmbeddedSeafileDb.CCNET, "SELECT group_id FROM `Group` WHERE group_name = ?", cn);
        return rows.isEmpty() ? List.of() : seafile.groupUsers(((Number) rows.get(0).get("group_id")).longValue()).stream()
                .filter(u -> !u.equalsIgnoreCase(TestDirectory.GROUP_CREATOR)).toList();
    }

    static JarProcess.Result run(String command, String... args) throws Exception {
        return JarProcess.run(directory.home(), env, config, command, args);
    }

    static List<String> members(JsonNode listing) {
        List<String> rows = new ArrayList<>();
        listing.path("memberships").forEach(m -> rows.add(m.path("group").asText() + " " + m.path("member").asText()));
        return rows;
    }

    @Test
    void everyMembershipIsListedWithItsEndThoseEndingFirst() throws Exception {
        JarProcess.Result text = run("memberships");
        assertThat(text.exitCode()).as(text.output()).isZero();
        List<String> lines = text.output().lines().filter(l -> l.startsWith("GROUP") || l.startsWith("crew") || l.startsWith("old-crew")).toList();
        assertThat(lines.get(0)).startsWith("GROUP").contains("MEMBER").contains("ENDS");
        assertThat(lines.get(1)).startsWith("old-crew").contains(user("dave")).contains("over, not yet removed");
        assertThat(lines.get(2)).startsWith("crew").contains(user("alice")).contains("in 2 days");
        assertThat(text.output()).containsPattern("crew +" + user("carol") + " +never");

        JarProcess.Result json = run("memberships", "--format", "json");
        assertThat(json.exitCode()).as(json.output()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.output().substring(json.output().indexOf('{')));
        assertThat(root.path("version").asInt()).isEqualTo(1);
        assertThat(members(root)).containsExactly("old-crew " + user("dave"), "crew " + user("alice"), "crew " + user("bob"),
                "crew " + user("carol"), "old-crew " + user("carol"));
        JsonNode alice = root.path("memberships").get(1);
        assertThat(alice.path("ends").asText()).isEqualTo(ExpiryValue.parse(at(NOW.plus(Duration.ofDays(3)), "alice")).end().toString());
        assertThat(alice.path("daysLeft").asInt()).isEqualTo(2);
        assertThat(alice.path("over").asBoolean()).isFalse();
        assertThat(root.path("memberships").get(3).path("ends").isNull()).isTrue();
    }

    @Test
    void expiringAndGroupNarrowTheList() throws Exception {
        JarProcess.Result soon = run("memberships", "--expiring", "7", "--format", "json");
        assertThat(soon.exitCode()).as(soon.output()).isZero();
        assertThat(members(new ObjectMapper().readTree(soon.output().substring(soon.output().indexOf('{')))))
                .containsExactly("old-crew " + user("dave"), "crew " + user("alice"));
        JarProcess.Result crew = run("memberships", "--expiring", "7", "--group", "crew", "--format", "json");
        assertThat(members(new ObjectMapper().readTree(crew.output().substring(crew.output().indexOf('{')))))
                .containsExactly("crew " + user("alice"));
        assertThat(run("memberships", "--format", "yaml").exitCode()).isEqualTo(2);
    }

    @Test
    void checkReportsAMembershipThatIsOverAndEndsItOnlyWithRepair() throws Exception {
        JarProcess.Result check = run("check", "--group", "old-crew");
        assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
        assertThat(check.output()).contains("membership over").contains(user("dave"));
        try (LDAPConnection ldap = directory.admin()) {
            assertThat(ldap.getEntry("cn=old-crew," + GROUPS).getAttributeValues("member")).contains(user("dave"));

            JarProcess.Result repair = run("check", "--group", "old-crew", "--repair");
            assertThat(repair.exitCode()).as(repair.output()).isEqualTo(1);
            assertThat(repair.output()).contains("drift found and repaired");
            assertThat(ldap.getEntry("cn=old-crew," + GROUPS).getAttributeValues("member")).doesNotContain(user("dave"));
            assertThat(ldap.getEntry("cn=old-crew," + GROUPS).getAttributeValues("grouprelayMemberExpiry")).isNull();
        }
        Waits.until(Duration.ofSeconds(60), () -> seafileMembers("old-crew").equals(List.of("carol@example.org")));
        assertThat(Files.readString(directory.auditLog()).lines()
                .filter(l -> l.contains("\"user\":\"" + user("dave") + "\"") && l.contains("member-removed")))
                .singleElement().asString().contains("\"reason\":\"member-expired\"");
        JarProcess.Result clean = run("check", "--group", "old-crew");
        assertThat(clean.exitCode()).as(clean.output()).isZero();
    }
}
