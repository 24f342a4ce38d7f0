package org.grouprelay.testing.scim;

import de.captaingoldfish.scim.sdk.server.endpoints.authorize.Authorization;
import java.util.Map;
import java.util.Set;

/**
 * The server's bearer token (RFC 6750 §2.1), checked before a request reaches the SCIM library and
 * again by the library itself, as its {@link Authorization}.
 */
final class BearerToken implements Authorization {
    private final String token;

    BearerToken(String token) {
        this.token = token;
    }

    String value() {
        return token;
    }

    /** Whether the headers (names in any case) carry {@code Authorization: Bearer <token>}. */
    boolean presentIn(Map<String, String> headers) {
        return headers.entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase("Authorization"))
                .anyMatch(header -> header.getValue().equals("Bearer " + token));
    }

    @Override
    public boolean authenticate(Map<String, String> httpHeaders, Map<String, String> queryParams) {
        return presentIn(httpHeaders);
    }

    @Override
    public Set<String> getClientRoles() {
        return Set.of();
    }
}
