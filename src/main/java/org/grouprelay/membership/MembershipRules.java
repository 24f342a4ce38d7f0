package org.grouprelay.membership;

import java.util.List;

/**
 * What capture needs to know: where users and groups live, Keycloak's placeholder member, the
 * nested-group policy, and which user attributes to snapshot for user mapping.
 */
public record MembershipRules(String peopleDn, String groupsDn, String placeholder, NestedPolicy nested,
        List<String> userAttributes) {
    public static final String KEYCLOAK_PLACEHOLDER = "cn=empty-membership-placeholder";

    public MembershipRules {
        userAttributes = List.copyOf(userAttributes);
    }
}
