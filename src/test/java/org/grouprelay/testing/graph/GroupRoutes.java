package org.grouprelay.testing.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.testing.graph.FakeGraph.Group;

/**
 * {@code /groups/{id}} and its members. Sources: Microsoft Graph v1.0 docs "Get group", "Update
 * group", "Add members", "Remove member", "List group members"; microsoft-graph-docs issues #8637 and
 * #11514 (a members@odata.bind request that names one existing member fails as a whole).
 */
final class GroupRoutes {
    /** "Add members": "you can add up to only 20 members" in one request. */
    static final int MAX_REFERENCES = 20;

    static final String ALREADY_MEMBER =
            "One or more added object references already exist for the following modified properties: 'members'.";

    private final Directory directory;
    private final Paging paging;
    private final Journal journal;
    private final BindUrls bindUrls;

    GroupRoutes(Directory directory, Paging paging, Journal journal, BindUrls bindUrls) {
        this.directory = directory;
        this.paging = paging;
        this.journal = journal;
        this.bindUrls = bindUrls;
    }

    static GraphAnswer notFound(String id) {
        return GraphAnswer.error(404, "Request_ResourceNotFound", "Resource '" + id
                + "' does not exist or one of its queried reference-property objects are not present.");
    }

    /** "Add members", note on replication delays for recently created groups. */
    private static GraphAnswer notReplicated() {
        return GraphAnswer.error(400, "Request_BadRequest",
                "The source resource object or one of the objects being referenced do not exist.");
    }

    GraphAnswer get(String groupId) {
        return directory.group(groupId).map(group -> GraphAnswer.json(200, json(group)))
                .orElseGet(() -> notFound(groupId));
    }

    /** GET /groups/{id}/members and /members/microsoft.graph.user, paged. */
    GraphAnswer members(GraphRequest request, String groupId) {
        if (directory.group(groupId).isEmpty()) {
            return notFound(groupId);
        }
        List<ObjectNode> members = new ArrayList<>();
        for (String userId : directory.members(groupId)) {
            directory.user(userId).ifPresent(user -> {
                ObjectNode node = JsonNodeFactory.instance.objectNode();
                node.put("@odata.type", "#microsoft.graph.user");
                node.setAll(UserRoutes.json(user));
                members.add(node);
            });
        }
        return paging.page(request, "directoryObjects", members, journal);
    }

    /** POST /groups/{id}/members/$ref with {"@odata.id": ".../directoryObjects/{id}"}: 204. */
    GraphAnswer addOne(GraphRequest request, String groupId, JsonNode body) {
        if (directory.group(groupId).isEmpty()) {
            return notFound(groupId);
        }
        String reference = body.path("@odata.id").asText(null);
        Optional<String> userId = bindUrls.objectId(reference);
        if (userId.isEmpty()) {
            return invalidReference(request, reference);
        }
        if (directory.missesReplication(groupId)) {
            return notReplicated();
        }
        if (directory.user(userId.get()).isEmpty()) {
            return notFound(userId.get());
        }
        return directory.addMembers(groupId, List.of(userId.get()))
                ? GraphAnswer.noContent()
                : GraphAnswer.error(400, "Request_BadRequest", ALREADY_MEMBER);
    }

    /**
     * PATCH /groups/{id} with {"members@odata.bind": [...]}: at most 20 references; all are added or,
     * when one is unknown or already a member, none (#8637, #11514). displayName may change too.
     */
    GraphAnswer update(GraphRequest request, String groupId, JsonNode body) {
        if (directory.group(groupId).isEmpty()) {
            return notFound(groupId);
        }
        JsonNode binds = body.path("members@odata.bind");
        if (binds.isMissingNode()) {
            return GraphAnswer.noContent();
        }
        if (!binds.isArray()) {
            journal.violation(request, "members@odata.bind must be an array (docs: Add members)");
            return GraphAnswer.error(400, "BadRequest", "The property 'members@odata.bind' must be an array.");
        }
        if (binds.size() > MAX_REFERENCES) {
            journal.violation(request, binds.size() + " references in one request, at most " + MAX_REFERENCES
                    + " (docs: Add members, Update group)");
            return GraphAnswer.error(400, "Request_BadRequest",
                    "The request contains too many references (max " + MAX_REFERENCES + ").");
        }
        Set<String> userIds = new LinkedHashSet<>();
        for (JsonNode bind : binds) {
            Optional<String> userId = bindUrls.objectId(bind.asText(null));
            if (userId.isEmpty()) {
                return invalidReference(request, bind.asText());
            }
            userIds.add(userId.get());
        }
        if (directory.missesReplication(groupId)) {
            return notReplicated();
        }
        for (String userId : userIds) {
            if (directory.user(userId).isEmpty()) {
                return notFound(userId);
            }
        }
        return directory.addMembers(groupId, userIds)
                ? GraphAnswer.noContent()
                : GraphAnswer.error(400, "Request_BadRequest", ALREADY_MEMBER);
    }

    /** DELETE /groups/{id}/members/{userId}/$ref: 204, or 404 when not a member ("Remove member"). */
    GraphAnswer remove(String groupId, String userId) {
        if (directory.group(groupId).isEmpty()) {
            return notFound(groupId);
        }
        return directory.removeMember(groupId, userId) ? GraphAnswer.noContent() : notFound(userId);
    }

    private GraphAnswer invalidReference(GraphRequest request, String reference) {
        journal.violation(request, "reference '" + reference
                + "' is not https://graph.microsoft.com/v1.0/directoryObjects/{id} or .../users/{id} (docs: Add members)");
        return GraphAnswer.error(400, "Request_BadRequest", "Invalid object identifier '" + reference + "'.");
    }

    private static ObjectNode json(Group group) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", group.id());
        node.put("displayName", group.displayName());
        node.put("securityEnabled", true);
        node.put("mailEnabled", false);
        return node;
    }
}
