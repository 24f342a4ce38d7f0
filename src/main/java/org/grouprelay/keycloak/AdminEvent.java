package org.grouprelay.keycloak;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of {@code GET /admin/realms/{realm}/admin-events}: {@code time} in epoch milliseconds,
 * {@code representation} the JSON text Keycloak stored (only when the realm records representations).
 */
public record AdminEvent(String id, long time, String operationType, String resourceType, String resourcePath,
        String representation) {

    static AdminEvent of(JsonNode node) {
        return new AdminEvent(node.path("id").asText(null), node.path("time").asLong(), node.path("operationType").asText(""),
                node.path("resourceType").asText(""), node.path("resourcePath").asText(null), node.path("representation").asText(null));
    }

    /** The key that remembers it was applied: Keycloak's event id, or its content where an id is missing. */
    String key() {
        return id != null ? id : time + " " + operationType + " " + resourcePath + " " + representation;
    }
}
