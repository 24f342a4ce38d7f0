package org.grouprelay.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.NestedPolicy;
import org.grouprelay.membership.Scope;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The check reads many people in two searches, halves by entryUUID, side by side; the halves together are exactly what
 * one search gives, over LDAP and in-process, and a count that does not add up makes it read everything in one search.
 */
class DirectorySnapshotIT {
    static final int PEOPLE = 300;

    @RegisterExtension
    static final PerClass<TestDirectory> DIRECTORY = PerClass.of(() -> {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            names.add("p" + i);
        }
        return TestDirectory.create(LdapFixtures.people(names) + """

                dn: ou=contractors,ou=people,dc=example,dc=org
                objectClass: organizationalUnit
                ou: contractors

                dn: cn=Ann Other,ou=contractors,ou=people,dc=example,dc=org
                objectClass: inetOrgPerson
                cn: Ann Other
                sn: Other
                mail: ann@example.org

                dn: cn=staff,ou=groups,dc=example,dc=org
                objectClass: groupOfNames
                cn: staff
                member: uid=p1,ou=people,dc=example,dc=org
                member: cn=Ann Other,ou=contractors,ou=people,dc=example,dc=org
                """).startDirectoryOnly();
    });

    static final MembershipRules RULES = new MembershipRules(TestDirectory.PEOPLE, TestDirectory.GROUPS,
            MembershipRules.KEYCLOAK_PLACEHOLDER, NestedPolicy.FLATTEN, List.of("uid", "mail"));

    static DirectorySnapshot read(DirectorySource source, long splitAbove) throws LdapException {
        Scope scope = new Scope(source.schemaManager(), RULES.peopleDn(), RULES.groupsDn(), RULES.placeholder());
        return DirectorySnapshot.read(source, scope, RULES, splitAbove);
    }

    @Test
    void twoHalvesGiveWhatOneSearchGivesOverLdapAndInProcess() throws Exception {
        try (LdapDirectorySource ldap = new LdapDirectorySource(DIRECTORY.get().config());
                InProcessDirectorySource local = new InProcessDirectorySource(DIRECTORY.get().relay().directory().service())) {
            assertThat(ldap.subordinates(TestDirectory.PEOPLE)).isEqualTo(PEOPLE + 2);
            assertThat(local.subordinates(TestDirectory.PEOPLE)).isEqualTo(PEOPLE + 2);
            DirectorySnapshot whole = read(ldap, Long.MAX_VALUE);
            assertThat(whole.users()).hasSize(PEOPLE + 3); // with ou=people and ou=contractors, as one search returns them
            assertThat(whole.users().values()).extracting(org.grouprelay.change.UserRef::dn)
                    .contains("cn=Ann Other,ou=contractors,ou=people,dc=example,dc=org", "uid=p299,ou=people,dc=example,dc=org");
            for (DirectorySource source : List.of(ldap, local)) {
                DirectorySnapshot halves = read(source, 0);
                assertThat(halves.users()).isEqualTo(whole.users());
                assertThat(halves.groups()).isEqualTo(whole.groups());
            }
        }
    }

    @Test
    void aCountThatDoesNotAddUpReadsEverythingInOneSearch() throws Exception {
        List<String> filters = new ArrayList<>();
        try (LdapDirectorySource ldap = new LdapDirectorySource(DIRECTORY.get().config())) {
            DirectorySource miscounting = new DirectorySource() {
                @Override
                public void search(String base, String filter, List<String> attributes, Consumer<Entry> each) throws LdapException {
                    synchronized (filters) {
                        filters.add(filter);
                    }
                    ldap.search(base, filter, attributes, each);
                }

                @Override
                public long subordinates(String base) {
                    return PEOPLE + 7; // say, five people added while the halves were read
                }

                @Override
                public SchemaManager schemaManager() {
                    return ldap.schemaManager();
                }

                @Override
                public void close() {
                }
            };
            DirectorySnapshot snapshot = read(miscounting, 0);
            assertThat(snapshot.users()).hasSize(PEOPLE + 3);
            assertThat(filters).containsAll(DirectorySnapshot.HALVES).contains("(objectClass=*)");
        }
    }
}
