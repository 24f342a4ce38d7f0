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

    /** Keycloak's way: the placeholder member plus the given users (uids). */
    public static void createGroup(LDAPConnection ldap, String cn, String... users) throws LDAPException {
        List<String> values = new ArrayList<>(List.of("cn=empty-membership-placeholder"));
        for (String user : users) {
            values.add("uid=" + user + "," + PEOPLE);
        }
        ldap.add(new Entry("cn=" + cn + "," + GROUPS, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", cn),
                new Attribute("member", values)));
    }

    public static void modify(LDAPConnection ldap, String cn, ModificationType type, String user) throws LDAPException {
        ldap.modify("cn=" + cn + "," + GROUPS, new Modification(type, "member", "uid=" + user + "," + PEOPLE));
    }
}
