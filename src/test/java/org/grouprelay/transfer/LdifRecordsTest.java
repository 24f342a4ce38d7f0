package org.grouprelay.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LdifRecordsTest {
    @Test
    void readsFoldedBase64AndCommentedRecordsWithTheirLines() {
        List<LdifRecords.Record> records = LdifRecords.parse("""
                # a comment
                #  continued
                version: 1

                dn: uid=alice,ou=people,
                 dc=example,dc=com
                objectClass: inetOrgPerson
                cn:: QWxpY2Ugw4lsw6hnZQ==
                userPassword;binary:: e1NTSEF9eHl6
                description: has a\s
                 folded value


                dn: uid=bob,ou=people,dc=example,dc=com
                cn: Bob
                """);

        assertThat(records).hasSize(2);
        LdifRecords.Record alice = records.get(0);
        assertThat(alice.dn()).isEqualTo("uid=alice,ou=people,dc=example,dc=com");
        assertThat(alice.line()).isEqualTo(5);
        assertThat(alice.values()).extracting(LdifRecords.Value::attribute)
                .containsExactly("objectClass", "cn", "userPassword", "description");
        assertThat(alice.values().get(1).text()).isEqualTo("Alice Élège");
        assertThat(alice.values().get(2).text()).isEqualTo("{SSHA}xyz");
        assertThat(alice.values().get(3).text()).isEqualTo("has a folded value");
        assertThat(records.get(1).line()).isEqualTo(14);
    }

    @Test
    void mistakesNameTheirLine() {
        assertThatThrownBy(() -> LdifRecords.parse("dn: cn=a,dc=x\ncn: a\n\ndn: cn=b,dc=x\ncn:: %%%\n"))
                .hasMessage("line 5: cn:: is not valid base64 (Illegal base64 character 25)");
        assertThatThrownBy(() -> LdifRecords.parse("dn: cn=a,dc=x\nchangetype: modify\nadd: cn\n"))
                .hasMessageStartingWith("line 2: a change record (changetype: modify)");
        assertThatThrownBy(() -> LdifRecords.parse("cn: a\ndn: cn=a,dc=x\n"))
                .hasMessage("line 1: expected \"dn:\" to start an entry, found \"cn:\"");
        assertThatThrownBy(() -> LdifRecords.parse("dn: cn=a,dc=x\njpegPhoto:< file:///etc/passwd\n"))
                .hasMessageStartingWith("line 2: jpegPhoto:< reads a value from a URL");
        assertThatThrownBy(() -> LdifRecords.parse("dn: cn=a,dc=x\n\n"))
                .hasMessage("line 1: entry cn=a,dc=x has no attributes");
    }

    @Test
    void uniqueMemberLosesItsOptionalUid() {
        assertThat(GroupMapping.withoutUniqueId("uid=dave,ou=people,dc=example,dc=com#'0101'B")).isEqualTo("uid=dave,ou=people,dc=example,dc=com");
        assertThat(GroupMapping.withoutUniqueId("uid=dave,ou=people,dc=example,dc=com")).isEqualTo("uid=dave,ou=people,dc=example,dc=com");
    }
}
