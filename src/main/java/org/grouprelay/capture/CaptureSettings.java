package org.grouprelay.capture;

import java.util.List;

/**
 * What capture needs to know: where users and groups live, Keycloak's placeholder member, the
 * nested-group policy, and which user attributes to snapshot for user mapping.
 */
public record CaptureSettings(String peopleDn, String groupsDn, String placeholder, NestedPolicy nested,
        List<String> userAttributes) {
    public static final String KEYCLOAK_PLACEHOLDER = "cn=empty-membership-placeholder";

    public CaptureSettings {
        userAttributes = List.copyOf(userAttributes);
    }
}
