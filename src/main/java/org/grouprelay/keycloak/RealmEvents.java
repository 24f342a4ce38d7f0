package org.grouprelay.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the follower reads from one realm: its group events in the order they happened, and its group
 * tree. {@code GET /admin/realms/{realm}/admin-events} takes {@code dateFrom} (inclusive; epoch
 * milliseconds or yyyy-MM-dd), {@code resourceTypes}, {@code operationTypes}, {@code direction}
 * ({@code asc}/{@code desc}, default newest first), {@code first} and {@code max} (default 100).
 */
public final class RealmEvents {
    static final int PAGE = 100;

    private final KeycloakHttp http;
    private final String realm;

    public RealmEvents(KeycloakHttp http, String realm) {
        this.http = http;
        this.realm = realm;
    }

    private String realmPath() {
        return "/admin/realms/" + KeycloakHttp.encode(realm);
    }

    /** Group events at or after {@code fromMillis}, oldest first, all pages. */
    public List<AdminEvent> groupEventsSince(long fromMillis) throws KeycloakException {
        List<AdminEvent> events = new ArrayList<>();
        for (int first = 0; ; first += PAGE) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("resourceTypes", "GROUP");
            query.put("direction", "asc");
            query.put("dateFrom", fromMillis);
            query.put("first", first);
            query.put("max", PAGE);
            JsonNode page = http.get(realmPath() + "/admin-events?" + KeycloakHttp.query(query));
            page.forEach(node -> events.add(AdminEvent.of(node)));
            if (page.size() < PAGE) {
                return events;
            }
        }
    }

    /** The newest group events (all of those sharing the newest time), or none. */
    public List<AdminEvent> newestGroupEvents() throws KeycloakException {
        JsonNode page = http.get(realmPath() + "/admin-events?" + KeycloakHttp.query(Map.of("resourceTypes", "GROUP",
                "direction", "desc", "first", 0, "max", 20)));
        List<AdminEvent> newest = new ArrayList<>();
        for (JsonNode node : page) {
            AdminEvent event = AdminEvent.of(node);
            if (newest.isEmpty() || newest.get(0).time() == event.time()) {
                newest.add(event);
            }
        }
        return newest;
    }

    /** Every group of the realm, parents before their subgroups. */
    public List<KeycloakGroup> groups() throws KeycloakException {
        List<KeycloakGroup> all = new ArrayList<>();
        collect(realmPath() + "/groups", null, all);
        return all;
    }

    private void collect(String listPath, String parentId, List<KeycloakGroup> into) throws KeycloakException {
        for (int first = 0; ; first += PAGE) {
            JsonNode page = http.get(listPath + "?" + KeycloakHttp.query(Map.of("briefRepresentation", true, "first", first, "max", PAGE)));
            for (JsonNode node : page) {
                KeycloakGroup group = new KeycloakGroup(node.path("id").asText(), node.path("name").asText(), parentId);
                into.add(group);
                if (node.path("subGroupCount").asLong(1) > 0) {
                    collect(realmPath() + "/groups/" + KeycloakHttp.encode(group.id()) + "/children", group.id(), into);
                }
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }
}
