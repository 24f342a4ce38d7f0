package org.grouprelay.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.util.ArrayList;
import java.util.List;
import org.apache.directory.server.core.api.DirectoryService;
import org.grouprelay.change.GroupRef;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.grouprelay.membership.Scope;
import org.grouprelay.membership.MembershipRules;

/**
 * The groups listing a value, read from the partition's member index, are the groups a search
 * {@code (&(member=X)(objectClass=groupOfNames))} under groupsDn finds, with the same DN, entryUUID
 * and Seafile name: nested groups, values spelled in other case, a groupOfNames outside groupsDn,
 * a group named by a cn that is not its RDN.
 */
class MemberIndexIT {
    static TestDirectory directory;
    static DirectoryService service;
    static Scope scope;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.create(LdapFixtures.person("alice") + LdapFixtures.person("bob")).startDirectoryOnly();
        service = directory.relay().directory().service();
        scope = new Scope(service.getSchemaManager(), PEOPLE, GROUPS, MembershipRules.KEYCLOAK_PLACEHOLDER);
        try (LDAPConnection ldap = directory.admin()) {
            add(ldap, "cn=inner," + GROUPS, "inner", "uid=alice," + PEOPLE, "UID=Bob, OU=People,DC=Example,DC=Org");
            add(ldap, "cn=Outer," + GROUPS, "Outer", "cn=INNER," + GROUPS, "uid=bob," + PEOPLE);
            add(ldap, "description=by-description+cn=multi," + GROUPS, "multi", "uid=alice," + PEOPLE, "cn=inner," + GROUPS);
            add(ldap, "cn=outside," + PEOPLE, "outside", "uid=alice," + PEOPLE, "cn=inner," + GROUPS);
            ldap.add(new Entry("ou=team," + GROUPS, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "team")));
            add(ldap, "cn=deep,ou=team," + GROUPS, "deep", "cn=outer," + GROUPS);
        }
    }

    static void add(LDAPConnection ldap, String dn, String cn, String... members) throws Exception {
        List<String> values = new ArrayList<>(List.of(MembershipRules.KEYCLOAK_PLACEHOLDER));
        values.addAll(List.of(members));
        List<Attribute> attributes = new ArrayList<>(List.of(new Attribute("objectClass", "groupOfNames"), new Attribute("cn", cn),
                new Attribute("member", values)));
        if (dn.startsWith("description=")) {
            attributes.add(new Attribute("description", "by-description"));
        }
        ldap.add(new Entry(dn, attributes));
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Test
    void theIndexListsWhatASearchFinds() throws Exception {
        MemberIndex index = MemberIndex.of(service, scope, new GroupIds());
        assertThat(index).as("the data partition's member index").isNotNull();
        DirectoryView view = new DirectoryView(service.getAdminSession(), scope, List.of("mail"));
        int found = 0;
        for (String value : List.of("uid=alice," + PEOPLE, "uid=BOB," + PEOPLE, "cn=inner," + GROUPS, "cn=outer," + GROUPS,
                "cn=multi," + GROUPS, "uid=nobody," + PEOPLE, MembershipRules.KEYCLOAK_PLACEHOLDER)) {
            List<String> searched = new ArrayList<>();
            for (org.apache.directory.api.ldap.model.entry.Entry entry : view.groupsListing(value)) {
                if (scope.isGroup(entry.getDn(), entry)) {
                    searched.add(describe(view.groupRef(entry)));
                }
            }
            List<String> indexed = new ArrayList<>();
            for (GroupGraph.Link link : index.listing(scope.norm(value))) {
                assertThat(link.norm()).isEqualTo(scope.norm(link.dn()));
                indexed.add(describe(view.groupRef(link)));
            }
            assertThat(indexed).as("groups listing " + value).containsExactlyInAnyOrderElementsOf(searched);
            found += indexed.size();
        }
        assertThat(found).isEqualTo(2 + 2 + 2 + 1 + 0 + 0 + 4); // alice, bob, inner, outer, multi, nobody, placeholder
    }

    static String describe(GroupRef ref) {
        return ref.uuid() + " " + ref.dn() + " " + ref.name();
    }
}
