package org.grouprelay.keycloak;

/** A Keycloak group as the follower knows it: its id, its name, and its parent's id ({@code null} at the top). */
public record KeycloakGroup(String id, String name, String parentId) {
}
