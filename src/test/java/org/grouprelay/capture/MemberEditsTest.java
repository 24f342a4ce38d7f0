package org.grouprelay.capture;

import static org.apache.directory.api.ldap.model.entry.ModificationOperation.ADD_ATTRIBUTE;
import static org.apache.directory.api.ldap.model.entry.ModificationOperation.REMOVE_ATTRIBUTE;
import static org.apache.directory.api.ldap.model.entry.ModificationOperation.REPLACE_ATTRIBUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.grouprelay.capture.GroupFixture.PLACEHOLDER;
import static org.grouprelay.capture.GroupFixture.mod;
import static org.grouprelay.capture.GroupFixture.user;

import java.util.List;
import org.apache.directory.api.ldap.model.entry.DefaultAttribute;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.Value;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The net effect of a modify on a group's member values, from the values it names. */
class MemberEditsTest {
    GroupFixture dir;
    Entry group;

    @BeforeEach
    void setUp() throws Exception {
        dir = new GroupFixture();
        group = dir.put("g", "UID=Alice,OU=People,DC=Example,DC=Org", user("bob"));
    }

    MemberEdit net(Modification... mods) throws Exception {
        return MemberEdits.net(group, List.of(mods), dir.scope);
    }

    @Test
    void addsAndDeletesCountOnlyWhereTheyChangeWhatTheGroupLists() throws Exception {
        MemberEdit edit = net(mod(ADD_ATTRIBUTE, user("carol"), user("alice")), mod(REMOVE_ATTRIBUTE, user("bob"), user("dave")));
        assertThat(edit.added()).containsExactly(java.util.Map.entry(dir.scope.norm(user("carol")), user("carol")));
        assertThat(edit.removed()).containsExactly(java.util.Map.entry(dir.scope.norm(user("bob")), user("bob")));
    }

    @Test
    void aDeletedValueKeepsTheSpellingTheGroupStored() throws Exception {
        assertThat(net(mod(REMOVE_ATTRIBUTE, "uid=alice,ou=people,dc=example,dc=org")).removed().values())
                .containsExactly("UID=Alice,OU=People,DC=Example,DC=Org");
        Value asked = new Value(dir.scope.memberType(), "uid=ALICE,ou=people,dc=example,dc=org");
        assertThat(StoredValue.spelling(group.get(dir.scope.memberType()), asked)).isEqualTo("UID=Alice,OU=People,DC=Example,DC=Org");
        Value absent = new Value(dir.scope.memberType(), "uid=nobody,ou=people,dc=example,dc=org");
        assertThat(StoredValue.spelling(group.get(dir.scope.memberType()), absent)).isEqualTo("uid=nobody,ou=people,dc=example,dc=org");
    }

    @Test
    void aValueAddedAgainTakesTheLastSpellingAndItsLastPlace() throws Exception {
        MemberEdit edit = net(mod(ADD_ATTRIBUTE, user("carol"), user("dave")), mod(REMOVE_ATTRIBUTE, user("carol")),
                mod(ADD_ATTRIBUTE, "UID=Carol," + GroupFixture.PEOPLE));
        assertThat(edit.added().values()).containsExactly(user("dave"), "UID=Carol," + GroupFixture.PEOPLE);
        assertThat(edit.removed()).isEmpty();
    }

    @Test
    void replaceAndDeletingTheAttributeCompareWithEveryValue() throws Exception {
        MemberEdit replace = net(mod(REPLACE_ATTRIBUTE, PLACEHOLDER, user("bob"), user("carol")));
        assertThat(replace.added().values()).containsExactly(user("carol"));
        assertThat(replace.removed().values()).containsExactly("UID=Alice,OU=People,DC=Example,DC=Org");
        MemberEdit cleared = net(new DefaultModification(REMOVE_ATTRIBUTE, new DefaultAttribute(dir.scope.memberType())));
        assertThat(cleared.removed().values()).containsExactly(PLACEHOLDER, "UID=Alice,OU=People,DC=Example,DC=Org", user("bob"));
        assertThat(cleared.added()).isEmpty();
    }

    @Test
    void otherAttributesAreIgnored() throws Exception {
        Modification description = new DefaultModification(ADD_ATTRIBUTE, new DefaultAttribute(
                GroupFixture.SCHEMA.getAttributeType("description"), "x"));
        assertThat(net(description).isEmpty()).isTrue();
    }
}
