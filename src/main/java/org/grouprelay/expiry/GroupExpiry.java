package org.grouprelay.expiry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One group's direct memberships as the directory holds them, with their ends.
 *
 * @param notifyDays the group's {@code grouprelayNotifyDays}, if set
 * @param owners     the group's {@code owner} values (whom a notice tells the member to ask)
 * @param members    the member values but Keycloak's placeholder
 * @param placeholder whether the placeholder is among the member values
 * @param dangling   expiry values that name no member (left from before the directory kept them consistent)
 */
public record GroupExpiry(String dn, String name, Optional<Integer> membershipDays, Optional<Integer> notifyDays, List<String> owners,
        List<Member> members, boolean placeholder, List<String> dangling) {
    public GroupExpiry {
        owners = List.copyOf(owners);
        members = List.copyOf(members);
        dangling = List.copyOf(dangling);
    }

    /**
     * A {@code member} value and its end, if it has one.
     *
     * @param value       the member value as stored
     * @param expiryValue the {@code grouprelayMemberExpiry} value as stored, if there is one
     */
    public record Member(String value, Optional<Instant> end, Optional<String> expiryValue) {
    }

    /** Days before the end that the member is told: the group's own setting or {@code defaultDays}. */
    public int notifyDays(int defaultDays) {
        return notifyDays.orElse(defaultDays);
    }
}
