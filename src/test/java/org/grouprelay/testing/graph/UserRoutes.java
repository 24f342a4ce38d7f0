package org.grouprelay.testing.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.grouprelay.testing.graph.FakeGraph.Invitation;
import org.grouprelay.testing.graph.FakeGraph.User;

/** {@code /users}, {@code /users/{id}} and {@code /invitations}. */
final class UserRoutes {
    private final Directory directory;
    private final Paging paging;
    private final Journal journal;

    UserRoutes(Directory directory, Paging paging, Journal journal) {
        this.directory = directory;
        this.paging = paging;
        this.journal = journal;
    }

    static ObjectNode json(User user) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", user.id());
        node.put("displayName", user.displayName());
        node.put("mail", user.mail());
        node.putArray("otherMails").addAll(user.otherMails().stream()
                .map(JsonNodeFactory.instance::textNode).toList());
        node.put("userPrincipalName", user.userPrincipalName());
        node.put("userType", user.userType());
        return node;
    }

    /** GET /users with an optional $filter ($select is ignored: every property is answered). */
    GraphAnswer list(GraphRequest request) {
        Predicate<User> filter = user -> true;
        String expression = request.query().get("$filter");
        if (expression != null) {
            try {
                filter = UserFilter.parse(expression);
            } catch (IllegalArgumentException e) {
                journal.violation(request, "invalid $filter (docs: Use the $filter query parameter): " + e.getMessage());
                return GraphAnswer.error(400, "BadRequest", e.getMessage());
            }
        }
        List<ObjectNode> users = directory.users().stream().filter(filter).map(UserRoutes::json).toList();
        return paging.page(request, "users", users, journal);
    }

    GraphAnswer get(String id) {
        return directory.user(id).map(user -> GraphAnswer.json(200, json(user)))
                .orElseGet(() -> GroupRoutes.notFound(id));
    }

    /** PATCH /users/{id}: userType (Member or Guest) and displayName (docs "Update user"). */
    GraphAnswer update(GraphRequest request, String id, JsonNode body) {
        User user = directory.user(id).orElse(null);
        if (user == null) {
            return GroupRoutes.notFound(id);
        }
        String userType = body.path("userType").asText(user.userType());
        if (!userType.equals("Member") && !userType.equals("Guest")) {
            journal.violation(request, "userType must be Member or Guest (docs: user resource type)");
            return GraphAnswer.error(400, "Request_BadRequest", "Invalid value specified for property 'userType' of resource 'User'.");
        }
        String displayName = body.path("displayName").asText(user.displayName());
        directory.replaceUser(new User(user.id(), displayName, user.mail(), user.otherMails(),
                user.userPrincipalName(), userType));
        return GraphAnswer.noContent();
    }

    /**
     * POST /invitations (docs "Create invitation"): invitedUserEmailAddress and inviteRedirectUrl are
     * required; the answer is 201 with the invited (guest) user's id and status PendingAcceptance.
     */
    GraphAnswer invite(GraphRequest request, JsonNode body) {
        String email = body.path("invitedUserEmailAddress").asText("");
        String redirect = body.path("inviteRedirectUrl").asText("");
        if (email.isBlank() || redirect.isBlank()) {
            journal.violation(request, "invitedUserEmailAddress and inviteRedirectUrl are required (docs: Create invitation)");
            return GraphAnswer.error(400, "BadRequest", email.isBlank()
                    ? "The invitedUserEmailAddress property is required."
                    : "The inviteRedirectUrl property is required.");
        }
        boolean send = body.path("sendInvitationMessage").asBoolean(false);
        String displayName = body.hasNonNull("invitedUserDisplayName") ? body.get("invitedUserDisplayName").asText() : null;
        Invitation invitation = directory.invite(email, displayName, redirect, send);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        String invitationId = UUID.randomUUID().toString();
        answer.put("id", invitationId);
        answer.put("inviteRedeemUrl", "https://login.microsoftonline.com/redeem?rd=" + invitationId);
        answer.put("invitedUserDisplayName", displayName);
        answer.put("invitedUserEmailAddress", email);
        answer.put("inviteRedirectUrl", redirect);
        answer.put("sendInvitationMessage", send);
        answer.put("invitedUserType", "Guest");
        answer.put("status", "PendingAcceptance");
        answer.putObject("invitedUser").put("id", invitation.userId());
        return GraphAnswer.json(201, answer);
    }
}
