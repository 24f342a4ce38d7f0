package org.grouprelay.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.directory.api.ldap.model.exception.LdapNoSuchObjectException;
import org.apache.directory.api.ldap.model.entry.Value;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The in-process read (the admin session, no network, as serve's scheduled check and expiry read) finds what an LDAP
 * subtree search as the admin finds: the same entries under the same DNs, the base itself included, nested entries,
 * nothing outside the base, the same filter semantics (case-insensitive matching, substrings, presence, AND/OR/NOT,
 * the objectClass hierarchy), and the requested attributes with their values as stored; a missing base is an error.
 */
class InProcessDirectorySourceIT {
    static TestDirectory directory;
    static InProcessDirectorySource source;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.create(LdapFixtures.people("alice", "bob")).startDirectoryOnly();
        source = new InProcessDirectorySource(directory.relay().directory().service());
        try (LDAPConnection ldap = directory.admin()) {
            ldap.add(new Entry("ou=staff," + PEOPLE, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "staff")));
            ldap.add(new Entry("uid=carol,ou=staff," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "carol"),
                    new Attribute("sn", "Carol"), new Attribute("cn", "Carol C"), new Attribute("mail", "Carol.C@Example.ORG")));
            ldap.add(new Entry("uid=dave," + PEOPLE, new Attribute("objectClass", "person"), new Attribute("uid", "dave"),
                    new Attribute("objectClass", "uidObject"), new Attribute("sn", "dave"), new Attribute("cn", "dave")));
            LdapFixtures.createGroup(ldap, "staff", "alice", "bob");
            LdapFixtures.createGroup(ldap, "empty");
            ldap.add(new Entry("ou=team," + GROUPS, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "team")));
            ldap.add(new Entry("cn=deep,ou=team," + GROUPS, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "deep"),
                    new Attribute("member", "cn=staff," + GROUPS)));
        }
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "ou=people,dc=example,dc=org; (objectClass=*); mail uid",
            "ou=people,dc=example,dc=org; (objectClass=person); mail",
            "ou=people,dc=example,dc=org; (mail=carol.c@example.org); mail cn",
            "ou=people,dc=example,dc=org; (&(objectClass=inetOrgPerson)(!(uid=bob))); uid",
            "ou=people,dc=example,dc=org; (|(uid=dave)(mail=ALICE@example.org)); uid mail",
            "ou=staff,ou=people,dc=example,dc=org; (objectClass=*); uid",
            "ou=groups,dc=example,dc=org; (objectClass=groupOfNames); entryUUID cn member",
            "ou=groups,dc=example,dc=org; (member=UID=Alice,OU=People,DC=Example,DC=Org); cn",
            "dc=example,dc=org; (cn=d*); cn"})
    void findsWhatASearchFinds(String base, String filter, String attributes) throws Exception {
        List<String> names = List.of(attributes.split(" "));
        Map<String, Map<String, List<String>>> read = new HashMap<>();
        source.search(base, filter, names, entry -> {
            Map<String, List<String>> values = new TreeMap<>();
            for (String name : names) {
                var attribute = entry.get(name);
                if (attribute != null) {
                    List<String> strings = new ArrayList<>();
                    attribute.forEach((Value value) -> strings.add(value.getString()));
                    values.put(name.toLowerCase(Locale.ROOT), strings.stream().sorted().toList());
                }
            }
            read.put(norm(entry.getDn().getName()), values);
        });
        Map<String, Map<String, List<String>>> searched = new HashMap<>();
        try (LDAPConnection ldap = directory.admin()) {
            for (SearchResultEntry entry : ldap.search(base, SearchScope.SUB, filter, names.toArray(String[]::new)).getSearchEntries()) {
                Map<String, List<String>> values = new TreeMap<>();
                for (String name : names) {
                    String[] found = entry.getAttributeValues(name);
                    if (found != null) {
                        values.put(name.toLowerCase(Locale.ROOT), List.of(found).stream().sorted().toList());
                    }
                }
                searched.put(norm(entry.getDN()), values);
            }
        }
        assertThat(searched).isNotEmpty();
        assertThat(read).isEqualTo(searched);
    }

    @Test
    void aMissingBaseIsNoSuchObjectAsForASearch() {
        assertThatThrownBy(() -> source.search("ou=nobody," + PEOPLE, "(objectClass=*)", List.of("uid"), entry -> { }))
                .isInstanceOf(LdapNoSuchObjectException.class).hasMessageContaining("ou=nobody");
    }

    private static String norm(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new IllegalArgumentException(dn, e);
        }
    }
}
