package org.grouprelay.testing;

import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.util.ArrayList;
import java.util.List;

/** People and groups as Keycloak writes them. */
public final class LdapFixtures {
    private LdapFixtures() {
    }

    /** An inetOrgPerson LDIF record with mail {@code <name>@Example.org} (mixed case, as users type it). */
    public static String person(String name) {
        return """

                dn: uid=%1$s,ou=people,dc=example,dc=org
                objectClass: inetOrgPerson
                uid: %1$s
                sn: %1$s
                cn: %1$s
                mail: %1$s@Example.org
                """.formatted(name);
    }

    /** {@link #person} records for every name, as one LDIF text. */
    public static String people(String... names) {
        return people(List.of(names));
    }

    public static String people(List<String> names) {
        StringBuilder ldif = new StringBuilder();
        names.forEach(name -> ldif.append(person(name)));
        return ldif.toString();
    }

    /** Adds {@link #person} entries over LDAP, as Keycloak or an admin does in a running directory. */
    public static void addPeople(LDAPConnection ldap, List<String> names) throws LDAPException {
        for (String name : names) {
            ldap.add(new Entry("uid=" + name + "," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", name),
                    new Attribute("sn", name), new Attribute("cn", name), new Attribute("mail", name + "@Example.org")));
        }
    }

    /** Keycloak's way: the placeholder member plus the given users (uids). */
    public static void createGroup(LDAPConnection ldap, String cn, String... users) throws LDAPException {
        List<String> values = new ArrayList<>(List.of("cn=empty-membership-placeholder"));
        for (String user : users) {
            values.add("uid=" + user + "," + PEOPLE);
        }
        ldap.add(new Entry("cn=" + cn + "," + GROUPS, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", cn),
                new Attribute("member", values)));
    }

    /** One modify of the group's {@code member} values: the given users (uids), added, deleted or replacing them. */
    public static void modify(LDAPConnection ldap, String cn, ModificationType type, String... users) throws LDAPException {
        String[] values = new String[users.length];
        for (int i = 0; i < users.length; i++) {
            values[i] = "uid=" + users[i] + "," + PEOPLE;
        }
        ldap.modify("cn=" + cn + "," + GROUPS, new Modification(type, "member", values));
    }
}
