package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.PEOPLE;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.grouprelay.testing.LdapFixtures;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paged searches (RFC 2696) return every entry, whatever attributes are asked for (1.1: none, as counting clients ask). */
class PagedSearchIT {
    static final int PEOPLE_COUNT = 2500;

    @RegisterExtension
    static final PerClass<TestDirectory> DIRECTORY = PerClass.of(() -> TestDirectory.create(LdapFixtures.people(
            IntStream.range(0, PEOPLE_COUNT).mapToObj(i -> "paged" + i).collect(Collectors.toList()))).start());

    @ParameterizedTest(name = "attributes {0}")
    @ValueSource(strings = {"1.1", "uid", "*"})
    void aPagedSearchReturnsEveryEntry(String attribute) throws Exception {
        try (LDAPConnection ldap = DIRECTORY.get().admin()) {
            int entries = 0;
            int pages = 0;
            com.unboundid.asn1.ASN1OctetString cookie = null;
            do {
                SearchRequest request = new SearchRequest(PEOPLE, SearchScope.ONE, "(objectClass=inetOrgPerson)", attribute);
                request.addControl(new SimplePagedResultsControl(1000, cookie));
                SearchResult page = ldap.search(request);
                entries += page.getEntryCount();
                if (attribute.equals("1.1")) {
                    assertThat(page.getSearchEntries()).allSatisfy(e -> assertThat(e.getAttributes()).isEmpty());
                }
                pages++;
                SimplePagedResultsControl response = SimplePagedResultsControl.get(page);
                cookie = response == null || response.getCookie().getValueLength() == 0 ? null : response.getCookie();
            } while (cookie != null && pages < 10);
            assertThat(entries).isEqualTo(PEOPLE_COUNT);
            assertThat(pages).isEqualTo(3);
        }
    }

    @Test
    void ldapsearchCountsEveryEntryWithoutAttributes() throws Exception {
        org.grouprelay.testing.LdapTools.assumeInstalled();
        org.grouprelay.testing.LdapTools.Result result = org.grouprelay.testing.LdapTools.run(null, "ldapsearch", "-x", "-LLL", "-H",
                "ldap://127.0.0.1:" + DIRECTORY.get().ldapPort(), "-D", TestDirectory.ADMIN_DN, "-w", TestDirectory.ADMIN_PASSWORD,
                "-b", PEOPLE, "-s", "one", "-E", "pr=1000/noprompt", "(objectClass=inetOrgPerson)", "1.1");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines().filter(l -> l.startsWith("dn: "))).hasSize(PEOPLE_COUNT);
        assertThat(result.stdout().lines().filter(l -> l.startsWith("objectClass"))).isEmpty();
    }
}
