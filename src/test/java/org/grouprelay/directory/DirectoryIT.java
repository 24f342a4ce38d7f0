package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.grouprelay.testing.TestDirectory.*;

import com.unboundid.ldap.sdk.*;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.SSLUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import org.grouprelay.testing.PerClass;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The embedded directory over real LDAP/TCP, as Keycloak and admins use it. One server for the class. */
class DirectoryIT {
    @RegisterExtension
    static final PerClass<TestDirectory> DIRECTORY = PerClass.of(() -> TestDirectory.create("").start());

    static TestDirectory directory() {
        return DIRECTORY.get();
    }

    @Test
    void adminAndKeycloakServiceAccountCanBind() throws Exception {
        try (LDAPConnection admin = directory().admin(); LDAPConnection keycloak = directory().keycloak()) {
            assertThat(admin.getRootDSE()).isNotNull();
            assertThat(keycloak.getRootDSE()).isNotNull();
        }
    }

    @Test
    void wrongPasswordIsRefusedWithInvalidCredentials() {
        assertThatThrownBy(() -> new LDAPConnection("127.0.0.1", directory().ldapPort(), KEYCLOAK_DN, "wrong"))
                .isInstanceOfSatisfying(LDAPException.class,
                        e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
    }

    @Test
    void anonymousSearchIsRefused() throws Exception {
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", directory().ldapPort())) {
            assertThatThrownBy(() -> anonymous.search(SUFFIX, SearchScope.SUB, "(objectClass=*)"))
                    .isInstanceOfSatisfying(LDAPSearchException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
        }
    }

    @Test
    void keycloakServiceAccountCannotReadSystemOrServices() throws Exception {
        try (LDAPConnection keycloak = directory().keycloak()) {
            assertThat(searchOrEmpty(keycloak, "ou=system", "(objectClass=*)")).isEmpty();
            assertThat(searchOrEmpty(keycloak, "ou=services," + SUFFIX, "(objectClass=*)")).as("only its own entry")
                    .extracting(SearchResultEntry::getDN).containsExactly(KEYCLOAK_DN);
            assertThat(searchOrEmpty(keycloak, "ou=schema", "(objectClass=*)")).isEmpty();
        }
    }

    @Test
    void keycloakServiceAccountWritesUsersAndGroupsTheWayKeycloakDoes() throws Exception {
        try (LDAPConnection keycloak = directory().keycloak()) {
            // Keycloak's user ADD carries single-space sn and cn
            keycloak.add(new Entry("uid=kc-dave," + PEOPLE,
                    new Attribute("objectClass", "inetOrgPerson", "organizationalPerson"),
                    new Attribute("uid", "kc-dave"), new Attribute("sn", " "), new Attribute("cn", " ")));
            keycloak.modify("uid=kc-dave," + PEOPLE, new Modification(ModificationType.REPLACE, "mail", "dave@example.org"),
                    new Modification(ModificationType.REPLACE, "sn", "Dalton"), new Modification(ModificationType.REPLACE, "cn", "Dave"));
            keycloak.add(new Entry("cn=kc-devs," + GROUPS, new Attribute("objectClass", "groupOfNames"),
                    new Attribute("cn", "kc-devs"), new Attribute("member", "cn=empty-membership-placeholder")));
            keycloak.modify("cn=kc-devs," + GROUPS, new Modification(ModificationType.ADD, "member", "uid=kc-dave," + PEOPLE));

            SearchResultEntry user = keycloak.searchForEntry(new SearchRequest(PEOPLE, SearchScope.ONE,
                    "(&(&(uid=kc-dave)(objectclass=inetOrgPerson))(objectclass=organizationalPerson))",
                    "entryUUID", "uid", "mail", "sn", "cn", "pwdChangedTime", "objectclass", "createTimestamp"));
            assertThat(user.getAttributeValue("entryUUID")).matches("[0-9a-f-]{36}");
            assertThat(user.getAttributeValue("mail")).isEqualTo("dave@example.org");
            SearchResultEntry group = keycloak.searchForEntry(GROUPS, SearchScope.ONE,
                    "(&(member=uid=kc-dave," + PEOPLE + ")(objectclass=groupOfNames))", "entryUUID", "cn");
            assertThat(group.getAttributeValue("cn")).isEqualTo("kc-devs");
            assertThat(group.getAttributeValue("entryUUID")).isNotBlank();

            keycloak.delete("uid=kc-dave," + PEOPLE);
            keycloak.delete("cn=kc-devs," + GROUPS);
        }
    }

    @Test
    void keycloakServiceAccountCannotReadPasswordsOrWriteOutsideItsSubtrees() throws Exception {
        try (LDAPConnection admin = directory().admin(); LDAPConnection keycloak = directory().keycloak()) {
            admin.add(new Entry("uid=secretive," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"),
                    new Attribute("uid", "secretive"), new Attribute("sn", "S"), new Attribute("cn", "S"),
                    new Attribute("userPassword", "p4ssword")));
            SearchResultEntry entry = keycloak.getEntry("uid=secretive," + PEOPLE, "*");
            assertThat(entry).isNotNull();
            assertThat(entry.getAttribute("userPassword")).isNull();
            // Keycloak sets passwords with a REPLACE, which it may do without reading them
            keycloak.modify("uid=secretive," + PEOPLE, new Modification(ModificationType.REPLACE, "userPassword", "n3w"));
            assertThatThrownBy(() -> keycloak.add(new Entry("uid=intruder,ou=services," + SUFFIX,
                    new Attribute("objectClass", "account"), new Attribute("uid", "intruder"))))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isIn(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, ResultCode.NO_SUCH_OBJECT));
            admin.delete("uid=secretive," + PEOPLE);
        }
    }

    @Test
    void theDataPartitionKeepsTheConfiguredNumberOfEntriesInMemory() throws Exception {
        var service = directory().relay().directory().service();
        var partition = service.getPartitionNexus().getPartition(new org.apache.directory.api.ldap.model.name.Dn(service.getSchemaManager(), SUFFIX));
        assertThat(((org.apache.directory.server.core.partition.impl.btree.AbstractBTreePartition) partition).getCacheSize())
                .isEqualTo(directory().config().entryCacheSize()).isEqualTo(1_000);
    }

    @Test
    void clearTextPasswordIsStoredHashedAndBinds() throws Exception {
        String dn = "uid=hashme," + PEOPLE;
        try (LDAPConnection admin = directory().admin()) {
            admin.add(new Entry(dn, new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", "hashme"),
                    new Attribute("sn", "H"), new Attribute("cn", "H"), new Attribute("userPassword", "clear-text-1")));
            assertThat(admin.getEntry(dn, "userPassword").getAttributeValue("userPassword")).startsWith("{SSHA512}");
            try (LDAPConnection user = new LDAPConnection("127.0.0.1", directory().ldapPort(), dn, "clear-text-1")) {
                assertThat(user.isConnected()).isTrue();
            }
            admin.modify(dn, new Modification(ModificationType.REPLACE, "userPassword", "clear-text-2"));
            assertThat(admin.getEntry(dn, "userPassword").getAttributeValue("userPassword")).startsWith("{SSHA512}");
            try (LDAPConnection user = new LDAPConnection("127.0.0.1", directory().ldapPort(), dn, "clear-text-2")) {
                assertThat(user.isConnected()).isTrue();
            }
            admin.delete(dn);
        }
    }

    @Test
    void pagedSearchReturnsAllOfAThousandUsers() throws Exception {
        try (LDAPConnection admin = directory().admin(); LDAPConnection keycloak = directory().keycloak()) {
            admin.add(new Entry("ou=many," + PEOPLE, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "many")));
            for (int i = 0; i < 1000; i++) {
                admin.add(new Entry("uid=u" + i + ",ou=many," + PEOPLE, new Attribute("objectClass", "inetOrgPerson"),
                        new Attribute("uid", "u" + i), new Attribute("sn", "S"), new Attribute("cn", "U " + i)));
            }
            List<String> seen = new ArrayList<>();
            ASN1OctetStringCookie cookie = new ASN1OctetStringCookie();
            int pages = 0;
            do {
                SearchRequest request = new SearchRequest("ou=many," + PEOPLE, SearchScope.ONE, "(objectClass=inetOrgPerson)", "uid", "entryUUID");
                // Keycloak sends pagedResults critical, with ManageDsaIT
                request.addControl(new SimplePagedResultsControl(100, cookie.value, true));
                request.addControl(new Control("2.16.840.1.113730.3.4.2", false));
                SearchResult result = keycloak.search(request);
                result.getSearchEntries().forEach(e -> {
                    seen.add(e.getAttributeValue("uid"));
                    assertThat(e.getAttributeValue("entryUUID")).isNotBlank();
                });
                cookie.value = SimplePagedResultsControl.get(result).getCookie();
                pages++;
            } while (cookie.value.getValueLength() > 0);
            assertThat(seen).hasSize(1000).doesNotHaveDuplicates();
            assertThat(pages).isGreaterThanOrEqualTo(10);
        }
    }

    private static final class ASN1OctetStringCookie {
        com.unboundid.asn1.ASN1OctetString value = new com.unboundid.asn1.ASN1OctetString();
    }

    @Test
    void startTlsWorksWithTheGeneratedCertificate() throws Exception {
        SSLUtil ssl = new SSLUtil(trustGeneratedCertificate());
        try (LDAPConnection connection = new LDAPConnection("127.0.0.1", directory().ldapPort())) {
            ExtendedResult result = connection.processExtendedOperation(new StartTLSExtendedRequest(ssl.createSSLContext()));
            assertThat(result.getResultCode()).isEqualTo(ResultCode.SUCCESS);
            connection.bind(KEYCLOAK_DN, KEYCLOAK_PASSWORD);
            assertThat(connection.getEntry(PEOPLE)).isNotNull();
        }
    }

    @Test
    void ldapsWorksWithTheGeneratedCertificate() throws Exception {
        SSLUtil ssl = new SSLUtil(trustGeneratedCertificate());
        try (LDAPConnection connection = new LDAPConnection(ssl.createSSLSocketFactory(), "localhost", directory().ldapsPort(),
                KEYCLOAK_DN, KEYCLOAK_PASSWORD)) {
            assertThat(connection.getEntry(GROUPS)).isNotNull();
        }
    }

    private static javax.net.ssl.TrustManager trustGeneratedCertificate() throws Exception {
        Path pem = directory().relay().directory().tls().orElseThrow().certificatePem();
        X509Certificate certificate;
        try (var in = Files.newInputStream(pem)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("grouprelay", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers()[0];
    }

    static List<SearchResultEntry> searchOrEmpty(LDAPConnection connection, String base, String filter) {
        try {
            return connection.search(base, SearchScope.SUB, filter).getSearchEntries();
        } catch (LDAPSearchException e) {
            assertThat(e.getResultCode()).isIn(ResultCode.NO_SUCH_OBJECT, ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
            return e.getSearchEntries();
        }
    }
}
