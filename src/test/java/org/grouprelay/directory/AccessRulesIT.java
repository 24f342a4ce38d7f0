package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grouprelay.testing.TestDirectory.GROUPS;
import static org.grouprelay.testing.TestDirectory.KEYCLOAK_DN;
import static org.grouprelay.testing.TestDirectory.PEOPLE;
import static org.grouprelay.testing.TestDirectory.SUFFIX;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.CompareRequest;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.grouprelay.config.AccessConfig;
import org.grouprelay.config.ConfigException;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * grouprelay's access rules against ApacheDS's ACIs: the same operations, in the same order, on a directory with each
 * engine (the same bootstrap LDIF, so the ACI subentries are the rules grouprelay ships) give the same result codes,
 * the same entries and the same attributes — but for the two places where grouprelay's rules are meant to differ,
 * each asserted on its own: a bound account reads its own entry, and no one but the admin filters on userPassword.
 */
class AccessRulesIT {
    static final String ALICE = "uid=alice," + PEOPLE;
    static final String ALICE_PASSWORD = "alice-pw-1";
    static final String USERS = """
            dn: uid=alice,ou=people,dc=example,dc=org
            objectClass: inetOrgPerson
            uid: alice
            sn: A
            cn: Alice
            mail: alice@example.org
            userPassword: alice-pw-1

            dn: uid=bob,ou=people,dc=example,dc=org
            objectClass: inetOrgPerson
            uid: bob
            sn: B
            cn: Bob
            userPassword: bob-pw-1

            dn: cn=staff,ou=groups,dc=example,dc=org
            objectClass: groupOfNames
            cn: staff
            member: uid=alice,ou=people,dc=example,dc=org
            """;

    @RegisterExtension
    static final PerClass<TestDirectory> ACI = PerClass.of(() -> TestDirectory.create(USERS)
            .withAccess(new AccessConfig(AccessConfig.Engine.APACHEDS, List.of())).startDirectoryOnly());
    @RegisterExtension
    static final PerClass<TestDirectory> RULES = PerClass.of(() -> TestDirectory.create(USERS).startDirectoryOnly());

    /** What an operation gave: its result code, and for a search the entries with their attribute names. */
    interface Step {
        String run(LDAPConnection ldap) throws LDAPException;
    }

    static String search(LDAPConnection ldap, String base, SearchScope scope, String filter, String... attributes) {
        SearchResult result;
        try {
            result = ldap.search(base, scope, filter, attributes);
        } catch (LDAPSearchException e) {
            result = e.getSearchResult();
        }
        Set<String> entries = new TreeSet<>();
        for (SearchResultEntry entry : result.getSearchEntries()) {
            Set<String> names = new TreeSet<>();
            for (Attribute attribute : entry.getAttributes()) {
                names.add(attribute.getBaseName().toLowerCase(java.util.Locale.ROOT));
            }
            entries.add(entry.getDN().toLowerCase(java.util.Locale.ROOT) + names);
        }
        // no such object and an empty result both say "nothing there for you"
        return (result.getResultCode() == ResultCode.NO_SUCH_OBJECT ? "0" : result.getResultCode().intValue()) + " " + entries;
    }

    static String code(LDAPConnection ldap, Write write) {
        try {
            return String.valueOf(write.run(ldap).getResultCode().intValue());
        } catch (LDAPException e) {
            return String.valueOf(e.getResultCode().intValue());
        }
    }

    /** Runs every step as the Keycloak account on both directories; returns each step's pair of outcomes. */
    static List<String[]> bothAsKeycloak(List<Step> steps) throws Exception {
        List<String[]> outcomes = new ArrayList<>();
        try (LDAPConnection aci = ACI.get().keycloak(); LDAPConnection rules = RULES.get().keycloak()) {
            for (Step step : steps) {
                outcomes.add(new String[] {step.run(aci), step.run(rules)});
            }
        }
        return outcomes;
    }

    @Test
    void theKeycloakAccountGetsWhatTheShippedAcisGaveIt() throws Exception {
        String carol = "uid=carol," + PEOPLE;
        String devs = "cn=devs," + GROUPS;
        List<Step> steps = List.of(
                l -> search(l, SUFFIX, SearchScope.SUB, "(objectClass=*)"),
                l -> search(l, SUFFIX, SearchScope.SUB, "(objectClass=*)", "*", "+"),
                l -> search(l, PEOPLE, SearchScope.ONE, "(uid=alice)", "userPassword", "mail"),
                l -> search(l, GROUPS, SearchScope.SUB, "(member=" + ALICE + ")", "cn"),
                l -> search(l, "ou=system", SearchScope.SUB, "(objectClass=*)"),
                l -> search(l, "ou=services," + SUFFIX, SearchScope.SUB, "(objectClass=*)"),
                l -> search(l, "uid=admin,ou=system", SearchScope.BASE, "(objectClass=*)"),
                l -> search(l, "cn=keycloak-people," + SUFFIX, SearchScope.BASE, "(objectClass=*)"),
                l -> search(l, "", SearchScope.BASE, "(objectClass=*)", "namingContexts"),
                l -> search(l, "cn=schema", SearchScope.BASE, "(objectClass=subschema)", "objectClasses"),
                l -> code(l, c -> c.add(new Entry(carol, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "carol"),
                        new Attribute("sn", " "), new Attribute("cn", " ")))),
                l -> code(l, c -> c.modify(carol, new Modification(ModificationType.REPLACE, "mail", "carol@example.org"),
                        new Modification(ModificationType.REPLACE, "userPassword", "carol-pw"))),
                l -> code(l, c -> c.add(new Entry(devs, new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "devs"),
                        new Attribute("member", "cn=empty-membership-placeholder")))),
                l -> code(l, c -> c.modify(devs, new Modification(ModificationType.ADD, "member", carol))),
                l -> code(l, c -> c.modify(devs, new Modification(ModificationType.ADD, "grouprelayMembershipDays", "30"),
                        new Modification(ModificationType.ADD, "objectClass", "grouprelayExpiringGroup"))),
                l -> code(l, c -> c.modify(carol, new Modification(ModificationType.ADD, "objectClass", "grouprelayExpiringGroup"),
                        new Modification(ModificationType.ADD, "grouprelayNotifyDays", "3"))),
                l -> code(l, c -> c.modifyDN(new ModifyDNRequest(carol, "uid=carola", true))),
                l -> code(l, c -> c.compare(new CompareRequest(ALICE, "mail", "alice@example.org"))),
                l -> code(l, c -> c.compare(new CompareRequest(ALICE, "userPassword", ALICE_PASSWORD))),
                l -> code(l, c -> c.add(new Entry("uid=intruder,ou=services," + SUFFIX, new Attribute("objectClass", "account"),
                        new Attribute("uid", "intruder")))),
                l -> code(l, c -> c.modify(KEYCLOAK_DN, new Modification(ModificationType.REPLACE, "description", "owned"))),
                l -> code(l, c -> c.modify("uid=admin,ou=system", new Modification(ModificationType.REPLACE, "description", "owned"))),
                l -> code(l, c -> c.modify("cn=keycloak-groups," + SUFFIX, new Modification(ModificationType.REPLACE, "prescriptiveACI",
                        "{ identificationTag \"x\", precedence 1, authenticationLevel none, itemOrUserFirst userFirst: { userClasses { "
                                + "allUsers }, userPermissions { } } }"))),
                l -> code(l, c -> c.delete("cn=keycloak-people," + SUFFIX)),
                l -> code(l, c -> c.delete(devs)),
                l -> code(l, c -> c.delete("uid=carola," + PEOPLE)),
                l -> search(l, SUFFIX, SearchScope.SUB, "(objectClass=*)"));

        List<String[]> outcomes = bothAsKeycloak(steps);
        for (int i = 0; i < outcomes.size(); i++) {
            assertThat(withoutOwnEntry(outcomes.get(i)[1])).as("step %d: grouprelay's rules (left) vs ApacheDS's ACIs", i)
                    .isEqualTo(outcomes.get(i)[0]);
        }
        assertThat(outcomes.get(5)[1]).as("ou=services: only its own entry").isEqualTo(
                "0 [uid=keycloak,ou=services,dc=example,dc=org[description, objectclass, uid]]");
        // and the comparison is not empty-handed: the account saw people and was refused outside its subtrees
        assertThat(withoutOwnEntry(outcomes.get(0)[1])).contains("uid=alice,ou=people").doesNotContain("ou=services").doesNotContain("userpassword");
        assertThat(outcomes.get(2)[1]).isEqualTo("0 [uid=alice,ou=people,dc=example,dc=org[mail]]");
        assertThat(outcomes.get(10)[1]).isEqualTo("0");
        assertThat(outcomes.get(17)[1]).as("compare mail").isEqualTo("6");
        assertThat(outcomes.get(18)[1]).as("compare userPassword").isEqualTo("50");
        assertThat(outcomes.get(19)[1]).as("add below ou=services").isEqualTo("50");
    }

    /** The Keycloak account's own entry, which it reads with grouprelay's rules (not with the shipped ACIs), left out. */
    static String withoutOwnEntry(String outcome) {
        return outcome.replaceAll("(, )?uid=keycloak,ou=services,dc=example,dc=org\\[[^]]*]", "").replace("[, ", "[");
    }

    @Test
    void anonymousSessionsAndUsersWithoutRulesGetWhatTheAcisGaveThem() throws Exception {
        for (TestDirectory dir : List.of(ACI.get(), RULES.get())) {
            try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", dir.ldapPort());
                    LDAPConnection alice = new LDAPConnection("127.0.0.1", dir.ldapPort(), ALICE, ALICE_PASSWORD)) {
                assertThat(search(anonymous, "", SearchScope.BASE, "(objectClass=*)", "namingContexts")).startsWith("0 [[namingcontexts");
                assertThat(search(anonymous, SUFFIX, SearchScope.SUB, "(objectClass=*)")).isEqualTo("50 []");
                assertThat(code(anonymous, c -> c.modify(ALICE, new Modification(ModificationType.REPLACE, "mail", "x@example.org"))))
                        .isEqualTo("50");
                assertThat(search(alice, PEOPLE, SearchScope.ONE, "(uid=bob)")).isEqualTo("0 []");
                assertThat(search(alice, GROUPS, SearchScope.SUB, "(objectClass=*)")).isEqualTo("0 []");
                assertThat(code(alice, c -> c.modify(ALICE, new Modification(ModificationType.REPLACE, "mail", "a@example.org"))))
                        .isEqualTo("50");
                assertThat(code(alice, c -> c.modify("uid=bob," + PEOPLE, new Modification(ModificationType.REPLACE, "mail", "b@example.org"))))
                        .isEqualTo("50");
                assertThat(code(alice, c -> c.delete("uid=bob," + PEOPLE))).isEqualTo("50");
            }
        }
    }

    @Test
    void aBoundAccountReadsItsOwnEntryWithoutItsPassword() throws Exception {
        try (LDAPConnection aci = new LDAPConnection("127.0.0.1", ACI.get().ldapPort(), ALICE, ALICE_PASSWORD);
                LDAPConnection rules = new LDAPConnection("127.0.0.1", RULES.get().ldapPort(), ALICE, ALICE_PASSWORD)) {
            assertThat(search(aci, ALICE, SearchScope.BASE, "(objectClass=*)")).as("ApacheDS's shipped ACIs").isEqualTo("0 []");
            assertThat(search(rules, ALICE, SearchScope.BASE, "(objectClass=*)"))
                    .isEqualTo("0 [uid=alice,ou=people,dc=example,dc=org[cn, mail, objectclass, sn, uid]]");
            assertThat(search(rules, PEOPLE, SearchScope.SUB, "(objectClass=*)")).as("only itself")
                    .isEqualTo("0 [uid=alice,ou=people,dc=example,dc=org[cn, mail, objectclass, sn, uid]]");
            assertThat(code(aci, c -> c.compare(new CompareRequest(ALICE, "mail", "alice@example.org")))).isEqualTo("50");
            assertThat(code(rules, c -> c.compare(new CompareRequest(ALICE, "mail", "alice@example.org")))).isEqualTo("6");
            assertThat(code(rules, c -> c.compare(new CompareRequest(ALICE, "userPassword", ALICE_PASSWORD)))).isEqualTo("50");
        }
    }

    @Test
    void noOneButTheAdminFiltersOnPasswords() throws Exception {
        // (the stored value is a hash, so an equality filter with the password would not match anyway)
        String byPassword = "(userPassword=*)";
        try (LDAPConnection aci = ACI.get().keycloak(); LDAPConnection rules = RULES.get().keycloak();
                LDAPConnection admin = RULES.get().admin()) {
            // ApacheDS's ACIs deny filterMatch on userPassword but do not apply it to search filters:
            assertThat(search(aci, PEOPLE, SearchScope.ONE, "(&(uid=alice)" + byPassword + ")", "uid"))
                    .as("ApacheDS's shipped ACIs").isEqualTo("0 [uid=alice,ou=people,dc=example,dc=org[uid]]");
            assertThatThrownBy(() -> rules.search(PEOPLE, SearchScope.ONE, "(&(uid=alice)" + byPassword + ")", "uid"))
                    .isInstanceOfSatisfying(LDAPSearchException.class, e -> {
                        assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
                        assertThat(e.getDiagnosticMessage()).contains("insufficient access rights").contains("userPassword");
                    });
            assertThat(search(rules, PEOPLE, SearchScope.ONE, "(|(uid=nobody)(!(userPassword=*)))")).startsWith("50");
            assertThat(search(admin, PEOPLE, SearchScope.ONE, "(&(uid=alice)" + byPassword + ")", "uid"))
                    .isEqualTo("0 [uid=alice,ou=people,dc=example,dc=org[uid]]");
        }
    }

    @Test
    void theKeycloakAccountCannotMoveAnEntryOutOfItsSubtrees() throws Exception {
        String erin = "uid=erin," + PEOPLE;
        ModifyDNRequest out = new ModifyDNRequest(erin, "uid=erin", true, "ou=services," + SUFFIX);
        for (TestDirectory dir : List.of(ACI.get(), RULES.get())) {
            try (LDAPConnection admin = dir.admin(); LDAPConnection keycloak = dir.keycloak()) {
                admin.add(new Entry(erin, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "erin"),
                        new Attribute("sn", "E"), new Attribute("cn", "E")));
                String code = code(keycloak, c -> c.modifyDN(out));
                // ApacheDS's ACIs let the shipped rules' account move a person into ou=services; grouprelay's rules do not
                assertThat(code).as(dir == ACI.get() ? "ApacheDS's ACIs" : "grouprelay's rules").isEqualTo(dir == ACI.get() ? "0" : "50");
                admin.delete(code.equals("0") ? "uid=erin,ou=services," + SUFFIX : erin);
            }
        }
    }

    @Test
    void removingOneGivenPasswordValueIsRefusedReplacingItIsNot() throws Exception {
        String dave = "uid=dave," + PEOPLE;
        try (LDAPConnection admin = RULES.get().admin(); LDAPConnection rules = RULES.get().keycloak()) {
            admin.add(new Entry(dave, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "dave"), new Attribute("sn", "D"),
                    new Attribute("cn", "D"), new Attribute("userPassword", "dave-pw-1")));
            try {
                assertThatThrownBy(() -> rules.modify(dave, new Modification(ModificationType.DELETE, "userPassword", "dave-pw-1")))
                        .isInstanceOfSatisfying(LDAPException.class, e -> {
                            assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
                            assertThat(e.getDiagnosticMessage()).contains("replace it instead");
                        });
                rules.modify(dave, new Modification(ModificationType.REPLACE, "userPassword", "dave-pw-2"));
                try (LDAPConnection bound = new LDAPConnection("127.0.0.1", RULES.get().ldapPort(), dave, "dave-pw-2")) {
                    assertThat(bound.isConnected()).isTrue();
                }
            } finally {
                admin.delete(dave);
            }
        }
    }

    @Test
    void aRuleNamingAnAttributeTheSchemaLacksStopsTheStartNamingTheKey() throws Exception {
        AccessConfig typo = new AccessConfig(AccessConfig.Engine.GROUPRELAY, List.of(new AccessConfig.Rule(List.of(KEYCLOAK_DN), PEOPLE,
                AccessConfig.Right.READ, Set.of("userPassword", "userPasword"), Set.of())));
        try (TestDirectory dir = TestDirectory.create("").withAccess(typo)) {
            assertThatThrownBy(dir::startDirectoryOnly).isInstanceOf(ConfigException.class)
                    .hasMessage("directory.access.rules[0].hide: 'userPasword' is not an attribute type of this directory's schema");
        }
    }

    /** A write as a step: the LDAP result, or the exception carrying it. */
    interface Write {
        LDAPResult run(LDAPConnection ldap) throws LDAPException;
    }
}
