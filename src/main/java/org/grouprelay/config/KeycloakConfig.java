package org.grouprelay.config;

import java.net.URI;
import java.time.Duration;

/**
 * The {@code keycloak} section: where grouprelay follows Keycloak's admin events (group rename, move
 * and delete, which Keycloak's LDAP group mapper never sends to the directory).
 *
 * @param url          Keycloak's base URL, e.g. {@code http://127.0.0.1:8180} (no trailing slash)
 * @param realm        the realm whose LDAP provider points at this directory
 * @param clientId     a confidential client with a service account (view-events, view-realm, query-groups, view-users)
 * @param clientSecret its secret
 * @param poll         how often admin events are read
 */
public record KeycloakConfig(URI url, String realm, String clientId, Secret clientSecret, Duration poll) {
    public static final int MAX_POLL_SECONDS = 3600;
}
