package org.grouprelay.testing.mas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * JSON bodies in MAS's shapes: admin resources and errors (crates/handlers/src/admin/response.rs,
 * admin/model.rs) and OAuth 2.0 token endpoint errors (RFC 6749 §5.2, oauth2/token.rs).
 */
final class MasReplies {
    static final String USERS_PATH = "/api/admin/v1/users";

    /** A status with a JSON body. */
    record Reply(int status, String body) {
    }

    private final ObjectMapper json = new ObjectMapper();

    /** {@code {"errors": [{"title": ...}]}} (response.rs, ErrorResponse). */
    Reply error(int status, String title) {
        ObjectNode body = json.createObjectNode();
        body.putArray("errors").addObject().put("title", title);
        return new Reply(status, body.toString());
    }

    /** {@code {"error": code, "error_description": ...}} of the token endpoint. */
    Reply oauthError(int status, String code, String description) {
        ObjectNode body = json.createObjectNode().put("error", code);
        if (description != null) {
            body.put("error_description", description);
        }
        return new Reply(status, body.toString());
    }

    /** {@code {"data": resource, "links": {"self": selfPath}}} (response.rs, SingleResponse). */
    Reply single(MasUser user, String selfPath) {
        ObjectNode body = json.createObjectNode();
        body.set("data", resource(user));
        body.putObject("links").put("self", selfPath);
        return new Reply(200, body.toString());
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    ArrayNode array() {
        return json.createArrayNode();
    }

    Reply ok(ObjectNode body) {
        return new Reply(200, body.toString());
    }

    /** One user as a resource: type, id, attributes (admin/model.rs, User), links.self. */
    ObjectNode resource(MasUser user) {
        ObjectNode resource = json.createObjectNode().put("type", "user").put("id", user.id());
        ObjectNode attributes = resource.putObject("attributes");
        attributes.put("username", user.username());
        attributes.put("created_at", timestamp(user.createdAt()));
        attributes.put("locked_at", timestamp(user.lockedAt()));
        attributes.put("deactivated_at", timestamp(user.deactivatedAt()));
        attributes.put("admin", user.admin());
        attributes.put("legacy_guest", false);
        resource.putObject("links").put("self", USERS_PATH + "/" + user.id());
        return resource;
    }

    private static String timestamp(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
