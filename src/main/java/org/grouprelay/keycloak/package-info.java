/**
 * Keycloak's side: follows the realm's admin events and mirrors group rename, move and delete (which
 * Keycloak's LDAP group mapper never sends) into the directory, where capture relays them like any other
 * write; and {@code keycloak-setup}, which configures a realm's LDAP provider, group mapper, admin events and
 * the follower's read-only client through Keycloak's admin REST API.
 *
 * <p>Must not know: the relay or any target: it only writes the directory.
 */
package org.grouprelay.keycloak;
