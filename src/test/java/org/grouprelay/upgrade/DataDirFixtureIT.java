package org.grouprelay.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_DN;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.grouprelay.demo.EmbeddedSeafileDb;
import org.grouprelay.reconcile.CheckRun;
import org.grouprelay.reconcile.Finding;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.Relaying;
import org.grouprelay.testing.TestDirectory;
import org.grouprelay.testing.TestSeafile;
import org.grouprelay.testing.Waits;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * This release on the {@code dataDir} of every release before it ({@code src/test/resources/datadir-fixtures/}, one per
 * release, see {@link DataDirFixture}), with Seafile's database as that release left it: users bind, the groups read
 * back, the consistency check finds directory and Seafile in step (the links by entryUUID held), a pending membership
 * is applied once the account exists, and a new change reaches the Seafile group the old release created.
 */
class DataDirFixtureIT {
    static final String CREATOR = "admin@example.org";

    @RegisterExtension
    static final PerClass<TestSeafile> SEAFILE = PerClass.of(TestSeafile::start).beforeEach(TestSeafile::reset);

    static Stream<Named<DataDirFixture>> fixtures() throws Exception {
        return DataDirFixture.all().stream().map(f -> Named.of("the dataDir of grouprelay " + f.release(), f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void thisReleaseStartsOnItAndRelays(DataDirFixture fixture) throws Exception {
        TestSeafile seafile = SEAFILE.get();
        Map<String, Set<String>> groups = fixture.groups();
        Set<String> pending = fixture.pending().values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        seafile.db().seedUser(CREATOR, true);
        groups.values().stream().flatMap(Set::stream).distinct().filter(u -> !pending.contains(u))
                .forEach(u -> seafile.db().seedUser(u + "@example.org", true));
        fixture.loadSeafileRows(seafile);
        Map<String, Long> seafileGroups = seafileGroupIds(seafile);

        try (TestDirectory directory = TestDirectory.create("")) {
            fixture.extractTo(directory.home());
            directory.relayingTo(seafile, Relaying.relayMode()).start();

            try (LDAPConnection user = new LDAPConnection("127.0.0.1", directory.ldapPort(), "uid=" + fixture.property("user") + "," + PEOPLE,
                    fixture.property("userPassword"))) {
                assertThat(user.getConnectedAddress()).isNotNull();
            }
            try (LDAPConnection keycloak = new LDAPConnection("127.0.0.1", directory.ldapPort(), KEYCLOAK_DN, fixture.property("keycloakPassword"))) {
                assertThat(directoryGroups(keycloak)).isEqualTo(groups);
            }
            CheckRun check = directory.relay().check().orElseThrow().runNow();
            assertThat(check.plan().findings()).as("directory and Seafile in step").noneMatch(f -> f.kind().drift())
                    .filteredOn(f -> f.kind() == Finding.Kind.MEMBER_PENDING).hasSize(pending.size());

            pending.forEach(u -> seafile.db().seedUser(u + "@example.org", true));
            String group = groups.keySet().iterator().next();
            String newcomer = groups.values().stream().flatMap(Set::stream).filter(u -> !groups.get(group).contains(u)).findFirst().orElseThrow();
            try (LDAPConnection admin = directory.admin()) {
                LdapFixtures.modify(admin, group, ModificationType.ADD, newcomer);
            }
            Map<String, Set<String>> expected = new TreeMap<>(groups);
            expected.put(group, new TreeSet<>(groups.get(group)));
            expected.get(group).add(newcomer);
            Waits.until(java.time.Duration.ofSeconds(30), () -> seafileMembers(seafile).equals(expected));
            assertThat(seafileGroupIds(seafile)).as("the same Seafile groups, none created anew").isEqualTo(seafileGroups);
        }
    }

    /** Group name → the uids of its members, placeholder left out. */
    static Map<String, Set<String>> directoryGroups(LDAPConnection ldap) throws Exception {
        Map<String, Set<String>> groups = new TreeMap<>();
        for (SearchResultEntry entry : ldap.search(GROUPS, SearchScope.ONE, "(objectClass=groupOfNames)", "cn", "member").getSearchEntries()) {
            Set<String> members = new TreeSet<>();
            for (String member : entry.getAttributeValues("member")) {
                if (member.toLowerCase().startsWith("uid=")) {
                    members.add(member.substring(4, member.indexOf(',')));
                }
            }
            groups.put(entry.getAttributeValue("cn"), members);
        }
        return groups;
    }

    static Map<String, Long> seafileGroupIds(TestSeafile seafile) {
        return seafile.groups().stream().collect(Collectors.toMap(row -> (String) row.get("group_name"),
                row -> ((Number) row.get("group_id")).longValue(), (a, b) -> a, TreeMap::new));
    }

    /** Seafile group name → its members' uids, without the creator's row. */
    static Map<String, Set<String>> seafileMembers(TestSeafile seafile) {
        return seafile.query(EmbeddedSeafileDb.CCNET, "SELECT g.group_name, u.user_name FROM `Group` g JOIN GroupUser u USING (group_id)")
                .stream().filter(row -> !row.get("user_name").equals(CREATOR))
                .collect(Collectors.groupingBy(row -> (String) row.get("group_name"), TreeMap::new,
                        Collectors.mapping(row -> ((String) row.get("user_name")).replace("@example.org", ""), Collectors.toCollection(TreeSet::new))));
    }
}
