package org.grouprelay.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/**
 * A Keycloak admin event about a group, reduced to what the directory must follow. Keycloak 26 records
 * (resource type {@code GROUP}):
 * <ul>
 * <li>create at the top: {@code CREATE groups/<id>}, representation {@code {id, name}};</li>
 * <li>create below a parent: {@code CREATE groups/<parent>/children}, representation {@code {id, name}};</li>
 * <li>rename: {@code UPDATE groups/<id>}, representation with the new {@code name} only (no id);</li>
 * <li>attributes edited: {@code UPDATE groups/<id>}, representation with {@code name} and {@code attributes} (every
 * attribute the group has, each a list of strings);</li>
 * <li>move to the top: {@code UPDATE groups}, representation {@code {id, name}};</li>
 * <li>move below a parent: {@code UPDATE groups/<parent>/children}, representation {@code {id, name}};</li>
 * <li>delete (with all its subgroups): {@code DELETE groups/<id>}, no representation.</li>
 * </ul>
 * Other group events (role mappings, permissions, default groups) are not group events here.
 */
public sealed interface GroupEvent {
    String id();

    record Created(String id, String name, String parentId) implements GroupEvent {
    }

    /**
     * An update of the group itself: a rename when {@code name} differs, and {@code attributes} when the representation
     * carries them (absent: Keycloak said nothing about them).
     */
    record Renamed(String id, String name, Optional<Attributes> attributes) implements GroupEvent {
        public Renamed(String id, String name) {
            this(id, name, Optional.empty());
        }
    }

    /**
     * The group attributes grouprelay maps to the directory group.
     *
     * @param membershipExpirationDays Keycloak's {@code membershipExpirationDays} (→ {@code grouprelayMembershipDays}), as
     *                                 written there; empty: the group has none
     */
    record Attributes(Optional<String> membershipExpirationDays) {
        public static final String MEMBERSHIP_EXPIRATION_DAYS = "membershipExpirationDays";
    }

    /** {@code parentId} {@code null}: moved to the top level. */
    record Moved(String id, String name, String parentId) implements GroupEvent {
    }

    record Deleted(String id) implements GroupEvent {
    }

    /** The group event {@code event} stands for, if it is one. */
    static Optional<GroupEvent> of(AdminEvent event) {
        if (!"GROUP".equals(event.resourceType()) || event.resourcePath() == null) {
            return Optional.empty();
        }
        String[] path = event.resourcePath().split("/");
        if (path.length == 0 || !"groups".equals(path[0])) {
            return Optional.empty();
        }
        JsonNode rep = representation(event);
        String repId = text(rep, "id");
        String repName = text(rep, "name");
        boolean top = path.length == 1;
        boolean self = path.length == 2;
        boolean children = path.length == 3 && "children".equals(path[2]);
        String parent = children ? path[1] : null;
        return switch (event.operationType()) {
            case "CREATE" -> (self || children) && repId != null && repName != null
                    ? Optional.of(new Created(repId, repName, parent)) : Optional.empty();
            case "UPDATE" -> {
                if (self && repName != null && (repId == null || repId.equals(path[1]))) {
                    yield Optional.of(new Renamed(path[1], repName, attributes(rep)));
                }
                yield (top || children) && repId != null ? Optional.of(new Moved(repId, repName, parent)) : Optional.empty();
            }
            case "DELETE" -> self ? Optional.of(new Deleted(path[1])) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<Attributes> attributes(JsonNode rep) {
        JsonNode attributes = rep.path("attributes");
        if (!attributes.isObject()) {
            return Optional.empty();
        }
        JsonNode days = attributes.path(Attributes.MEMBERSHIP_EXPIRATION_DAYS);
        JsonNode first = days.isArray() ? days.path(0) : days;
        return Optional.of(new Attributes(first.isValueNode() && !first.isNull() ? Optional.of(first.asText().strip()) : Optional.empty()));
    }

    private static JsonNode representation(AdminEvent event) {
        if (event.representation() == null || event.representation().isBlank()) {
            return KeycloakHttp.json().nullNode();
        }
        try {
            return KeycloakHttp.json().readTree(event.representation());
        } catch (IOException e) {
            return KeycloakHttp.json().nullNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
