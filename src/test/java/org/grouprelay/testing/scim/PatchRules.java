package org.grouprelay.testing.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The request-shape rules a profile checks on PATCH requests (also inside a /Bulk request) before
 * the SCIM library sees them. The library tolerates shapes that real servers treat differently, so
 * this class decides what the profile's server would do, and names every broken rule.
 */
final class PatchRules {
    static final String UNFILTERED_REMOVE = "unfiltered remove on members empties the group";
    static final String PATCH_UNSUPPORTED = "PATCH sent although patch.supported is false";
    static final String TOO_MANY_MEMBERS = "more than 100 member values in one PATCH";

    /** What to do with a request: forward {@code body} (maybe rewritten), or answer {@code rejection}. */
    record Verdict(String body, List<String> violations, Optional<Rejection> rejection) {
    }

    record Rejection(int status, String scimType, String detail) {
    }

    private final ScimProfile profile;
    private final ObjectMapper json = new ObjectMapper();

    PatchRules(ScimProfile profile) {
        this.profile = profile;
    }

    /** Checks a PATCH of {@code path}, or a POST to /Bulk; other requests pass unchanged. */
    Verdict check(String method, String path, String body) {
        List<String> violations = new ArrayList<>();
        JsonNode document;
        try {
            document = body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            return new Verdict(body, violations, Optional.empty());
        }
        if (document == null || !document.isObject()) {
            return new Verdict(body, violations, Optional.empty());
        }
        Optional<Rejection> rejection = Optional.empty();
        if ("PATCH".equals(method)) {
            rejection = checkPatch(method + " " + path, (ObjectNode) document, violations);
        } else if ("POST".equals(method) && path.equals("/Bulk")) {
            for (JsonNode operation : field(document, "Operations")) {
                JsonNode data = field(operation, "data");
                if ("PATCH".equalsIgnoreCase(field(operation, "method").asText()) && data.isObject()) {
                    String where = "PATCH " + field(operation, "path").asText() + " (in /Bulk)";
                    rejection = rejection.or(() -> checkPatch(where, (ObjectNode) data, violations));
                }
            }
        }
        return new Verdict(document.toString(), violations, rejection);
    }

    private Optional<Rejection> checkPatch(String where, ObjectNode patch, List<String> violations) {
        if (!profile.patch()) {
            // RFC 7644 §3.5.2: PATCH is optional; a client must read /ServiceProviderConfig first
            violations.add(where + ": " + PATCH_UNSUPPORTED);
            return Optional.empty();
        }
        int memberValues = 0;
        for (JsonNode operation : field(patch, "Operations")) {
            memberValues += memberValues(operation);
            if (profile == ScimProfile.STRICT && isUnfilteredMemberRemove(operation)) {
                // RFC 7644 §3.5.2.2: "If the target location is a multi-valued attribute and no filter
                // is specified, the attribute and all values are replaced" (removed). A value list
                // does not narrow it; strict servers empty the group, so this server does too.
                violations.add(where + ": " + UNFILTERED_REMOVE + " (RFC 7644 §3.5.2.2)");
                ((ObjectNode) operation).remove(fieldName(operation, "value"));
            }
        }
        int limit = profile.maxMembersPerPatch();
        if (limit > 0 && memberValues > limit) {
            // AWS IAM Identity Center: at most 100 members per request (authentik #20410, #25330)
            violations.add(where + ": " + TOO_MANY_MEMBERS + " (" + memberValues + ")");
            return Optional.of(new Rejection(400, "tooMany",
                    "a PATCH may carry at most " + limit + " member values; this one has " + memberValues));
        }
        return Optional.empty();
    }

    private static boolean isUnfilteredMemberRemove(JsonNode operation) {
        return "remove".equalsIgnoreCase(field(operation, "op").asText())
                && "members".equalsIgnoreCase(field(operation, "path").asText().trim());
    }

    /** How many member values one operation carries. */
    private static int memberValues(JsonNode operation) {
        String path = field(operation, "path").asText("").trim().toLowerCase(Locale.ROOT);
        JsonNode value = field(operation, "value");
        if (path.isEmpty()) {
            return value.isObject() ? count(field(value, "members")) : 0;
        }
        if (!path.startsWith("members")) {
            return 0;
        }
        return path.contains("[") && value.isMissingNode() ? 1 : count(value);
    }

    private static int count(JsonNode value) {
        if (value.isArray()) {
            return value.size();
        }
        return value.isMissingNode() || value.isNull() ? 0 : 1;
    }

    /** A field looked up case-insensitively (attribute names are case-insensitive, RFC 7643 §2.1). */
    private static JsonNode field(JsonNode node, String name) {
        String actual = fieldName(node, name);
        return actual == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node.get(actual);
    }

    private static String fieldName(JsonNode node, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (key.equalsIgnoreCase(name)) {
                return key;
            }
        }
        return null;
    }
}
