package org.grouprelay.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code grouprelay memberships} prints. */
class ListingTest {
    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    static GroupExpiry group(String name, GroupExpiry.Member... members) {
        return new GroupExpiry("cn=" + name + ",ou=groups,dc=example,dc=org", name, Optional.empty(), Optional.empty(), List.of(),
                List.of(members), true, List.of());
    }

    static GroupExpiry.Member member(String uid, Optional<Duration> left) {
        return new GroupExpiry.Member("uid=" + uid + ",ou=people,dc=example,dc=org", left.map(NOW::plus), Optional.empty());
    }

    @Test
    void endingFirstThenNeverAndExpiringKeepsWhatEndsWithinTheDaysIncludingWhatIsOver() {
        List<GroupExpiry> groups = List.of(group("crew", member("alice", Optional.of(Duration.ofDays(3))), member("carol", Optional.empty())),
                group("old", member("dave", Optional.of(Duration.ofHours(-1))), member("bob", Optional.of(Duration.ofDays(40)))));
        Listing all = Listing.of(groups, NOW, Optional.empty());
        assertThat(all.rows()).extracting(Listing.Row::member).containsExactly("uid=dave,ou=people,dc=example,dc=org",
                "uid=alice,ou=people,dc=example,dc=org", "uid=bob,ou=people,dc=example,dc=org", "uid=carol,ou=people,dc=example,dc=org");
        assertThat(all.text()).contains("over, not yet removed").contains("in 3 days").contains("never").startsWith("GROUP");
        assertThat(Listing.of(groups, NOW, Optional.of(7)).rows()).extracting(Listing.Row::group).containsExactly("old", "crew");
        assertThat(Listing.of(groups, NOW, Optional.of(0)).json()).contains("\"over\" : true").contains("\"daysLeft\" : 0");
        assertThat(Listing.of(List.of(), NOW, Optional.empty()).text()).isEqualTo("no memberships\n");
    }
}
