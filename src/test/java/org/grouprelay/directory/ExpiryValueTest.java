package org.grouprelay.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code grouprelayMemberExpiry} values as admins write them. */
class ExpiryValueTest {
    @Test
    void readsTimeAndMemberAndWritesThemBackTheSame() {
        ExpiryValue value = ExpiryValue.parse("20270131000000Z uid=bob,ou=people,dc=example,dc=org");
        assertThat(value.end()).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(value.member()).isEqualTo("uid=bob,ou=people,dc=example,dc=org");
        assertThat(value).hasToString("20270131000000Z uid=bob,ou=people,dc=example,dc=org");
        assertThat(ExpiryValue.parse("20270131083015.5Z  cn=ops,ou=groups,dc=example,dc=org").toString())
                .isEqualTo("20270131083015Z cn=ops,ou=groups,dc=example,dc=org");
    }

    @Test
    void refusesWhatIsNotTimeThenDnWithOneLineSayingWhy() {
        for (String bad : new String[] {"2027-01-31 uid=bob", "20270131000000 uid=bob", "20270131000000Z", "tomorrow uid=bob",
            "20270131000000+0100 uid=bob"}) {
            assertThatThrownBy(() -> ExpiryValue.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("<GeneralizedTime> <member DN>").hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> ExpiryValue.parse("20270231000000Z uid=bob")).hasMessageContaining("is not a valid time");
    }
}
