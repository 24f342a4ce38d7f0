package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.testing.TestDirectory.group;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.InterceptorEnum;
import org.apache.directory.server.core.authz.AciAuthorizationInterceptor;
import org.grouprelay.config.AccessConfig;
import org.grouprelay.testing.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With ApacheDS's ACIs on ({@code directory.access.engine: apacheds}), the access-control group cache answers "which groups is X in" from its member index: after every
 * kind of group change made over LDAP (add, member add/delete/replace, rename, move of a member,
 * delete), the index gives exactly what ApacheDS's own scan of all groups gives.
 */
class GroupCacheIndexIT {
    static final String PEOPLE = TestDirectory.PEOPLE;
    static final String GROUPS = TestDirectory.GROUPS;
    static TestDirectory directory;
    static MemberIndexedGroupCache cache;
    static DirectoryService service;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.create("").withAccess(new AccessConfig(AccessConfig.Engine.APACHEDS, List.of())).startDirectoryOnly();
        service = directory.relay().directory().service();
        Field field = AciAuthorizationInterceptor.class.getDeclaredField("groupCache");
        field.setAccessible(true);
        Object installed = field.get(service.getInterceptor(InterceptorEnum.ACI_AUTHORIZATION_INTERCEPTOR.getName()));
        assertThat(installed).isInstanceOf(MemberIndexedGroupCache.class);
        cache = (MemberIndexedGroupCache) installed;
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    static String user(int i) {
        return "uid=u" + i + "," + PEOPLE;
    }

    @Test
    void theIndexAgreesWithApacheDsScanAfterEveryKindOfChange() throws Exception {
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            candidates.add(user(i));
        }
        for (String cn : List.of("a", "b", "c", "renamed-b")) {
            candidates.add(group(cn));
        }
        try (LDAPConnection ldap = directory.admin()) {
            ldap.add(new Entry(group("a"), new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "a"),
                    new Attribute("member", user(0), user(1), user(2))));
            agree(candidates);
            assertThat(cache.getGroups(norm(user(1)))).as("a member's groups").containsExactly(norm(group("a")));

            ldap.add(new Entry(group("b"), new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "b"),
                    new Attribute("member", user(1), group("a"))));
            ldap.add(new Entry(group("c"), new Attribute("objectClass", "groupOfNames"), new Attribute("cn", "c"),
                    new Attribute("member", user(5))));
            agree(candidates);
            assertThat(cache.getGroups(norm(user(1)))).containsExactlyInAnyOrder(norm(group("a")), norm(group("b")));

            Random random = new Random(7);
            for (int step = 0; step < 40; step++) {
                String target = group(List.of("a", "c").get(random.nextInt(2)));
                String member = user(random.nextInt(12));
                ModificationType type = List.of(ModificationType.ADD, ModificationType.DELETE, ModificationType.REPLACE)
                        .get(random.nextInt(3));
                String[] values = type == ModificationType.REPLACE ? new String[] {member, user(random.nextInt(12))}
                        : new String[] {member};
                try {
                    ldap.modify(target, new Modification(type, "member", values));
                } catch (com.unboundid.ldap.sdk.LDAPException e) {
                    // adding a present value, deleting an absent or the last one: refused, nothing changed
                }
                agree(candidates);
            }

            ldap.modifyDN(group("b"), "cn=renamed-b", true);
            agree(candidates);
            assertThat(cache.getGroups(norm(group("a")))).containsExactly(norm(group("renamed-b")));

            ldap.delete(group("renamed-b"));
            ldap.delete(group("c"));
            agree(candidates);
            assertThat(cache.getGroups(norm(group("a")))).isEmpty();
        }
    }

    static void agree(List<String> candidates) throws Exception {
        for (String dn : candidates) {
            assertThat(cache.getGroups(norm(dn))).as("groups of " + dn).isEqualTo(cache.scanGroups(norm(dn)));
        }
    }

    static String norm(String dn) throws Exception {
        return new Dn(service.getSchemaManager(), dn).getNormName();
    }
}
