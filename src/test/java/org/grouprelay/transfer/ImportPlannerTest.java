package org.grouprelay.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.apache.directory.api.ldap.schema.manager.impl.DefaultSchemaManager;
import org.junit.jupiter.api.Test;

class ImportPlannerTest {
    private final ImportPlanner planner;

    ImportPlannerTest() throws Exception {
        planner = new ImportPlanner(new DefaultSchemaManager(), "dc=example,dc=org", "cn=empty-membership-placeholder");
    }

    private ImportPlan plan(String ldif) {
        return planner.plan(LdifRecords.parse(ldif), Optional.empty());
    }

    @Test
    void aCryptVariantTheDirectoryCannotVerifyIsNamedAndLeftOut() {
        ImportPlan plan = plan("""
                dn: uid=ann,ou=people,dc=example,dc=com
                objectClass: inetOrgPerson
                uid: ann
                cn: ann
                sn: ann
                userPassword: {CRYPT}$2y$10$abcdefghijklmnopqrstuu5Z6k0NnVHB3cQ0nZ2uW9VQ8Xy7a5m1e
                """);

        PlannedEntry ann = plan.entries().get(0);
        assertThat(ann.entry().getDn().getName()).isEqualTo("uid=ann,ou=people,dc=example,dc=org");
        assertThat(ann.entry().containsAttribute("userPassword")).isFalse();
        assertThat(ann.skipped()).containsExactly(
                "userPassword in scheme {CRYPT}$2y$ cannot be verified by grouprelay: left out (set a new password)");
    }

    @Test
    void groupsOfTheOtherKindsBecomeGroupOfNamesAfterThePeople() throws Exception {
        ImportPlan plan = plan("""
                dn: cn=dev,ou=groups,dc=example,dc=com
                objectClass: posixGroup
                cn: dev
                gidNumber: 5000
                memberUid: ann

                dn: cn=ops,ou=groups,dc=example,dc=com
                objectClass: groupOfUniqueNames
                cn: ops
                uniqueMember: uid=ann,ou=people,dc=example,dc=com#'0101'B

                dn: uid=ann,ou=people,dc=example,dc=com
                objectClass: inetOrgPerson
                uid: ann
                cn: ann
                sn: ann
                """);

        assertThat(plan.fromSuffix()).isEqualTo("dc=example,dc=com");
        assertThat(plan.entries()).extracting(e -> e.entry().getDn().getName()).containsExactly(
                "uid=ann,ou=people,dc=example,dc=org", "cn=dev,ou=groups,dc=example,dc=org", "cn=ops,ou=groups,dc=example,dc=org");
        for (PlannedEntry group : plan.entries().subList(1, 3)) {
            assertThat(group.isGroup()).isTrue();
            assertThat(group.entry().get("member").getString()).isEqualTo("uid=ann,ou=people,dc=example,dc=org");
            assertThat(group.skipped()).isEmpty();
        }
        assertThat(plan.entries().get(1).notes()).containsExactly(
                "posixGroup mapped to groupOfNames: 1 memberUid value became member; gidNumber 5000 not kept (groupOfNames has none)");
        assertThat(plan.entries().get(1).entry().hasObjectClass("posixGroup")).isFalse();
        assertThat(plan.entries().get(1).entry().hasObjectClass("groupOfNames")).isTrue();
    }
}
