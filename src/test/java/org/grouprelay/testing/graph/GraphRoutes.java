package org.grouprelay.testing.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/** Routes one Graph operation (path relative to /v1.0) to the user or group routes. */
final class GraphRoutes {
    private final ObjectMapper mapper;
    private final Journal journal;
    private final UserRoutes users;
    private final GroupRoutes groups;

    GraphRoutes(ObjectMapper mapper, Journal journal, UserRoutes users, GroupRoutes groups) {
        this.mapper = mapper;
        this.journal = journal;
        this.users = users;
        this.groups = groups;
    }

    GraphAnswer handle(GraphRequest request) {
        JsonNode body;
        try {
            body = request.body().isBlank() ? JsonNodeFactory.instance.objectNode() : mapper.readTree(request.body());
        } catch (JsonProcessingException e) {
            journal.violation(request, "body is not JSON");
            return GraphAnswer.error(400, "BadRequest", "Unable to read JSON request payload.");
        }
        List<String> s = request.segments();
        String method = request.method();
        GraphAnswer answer = route(request, method, s, body);
        if (answer == null) {
            journal.violation(request, "no such Graph endpoint in the fake (or not a documented one)");
            String segment = s.isEmpty() ? "" : s.get(0);
            return GraphAnswer.error(400, "BadRequest", "Resource not found for the segment '" + segment + "'.");
        }
        return answer;
    }

    private GraphAnswer route(GraphRequest request, String method, List<String> s, JsonNode body) {
        int n = s.size();
        if (n >= 1 && s.get(0).equals("users")) {
            if (n == 1 && method.equals("GET")) {
                return users.list(request);
            }
            if (n == 2 && method.equals("GET")) {
                return users.get(s.get(1));
            }
            if (n == 2 && method.equals("PATCH")) {
                return users.update(request, s.get(1), body);
            }
        }
        if (n == 1 && s.get(0).equals("invitations") && method.equals("POST")) {
            return users.invite(request, body);
        }
        if (n >= 2 && s.get(0).equals("groups")) {
            String group = s.get(1);
            if (n == 2 && method.equals("GET")) {
                return groups.get(group);
            }
            if (n == 2 && method.equals("PATCH")) {
                return groups.update(request, group, body);
            }
            if (n == 3 && s.get(2).equals("members") && method.equals("GET")) {
                return groups.members(request, group);
            }
            if (n == 4 && s.get(2).equals("members") && s.get(3).equals("microsoft.graph.user") && method.equals("GET")) {
                return groups.members(request, group);
            }
            if (n == 4 && s.get(2).equals("members") && s.get(3).equals("$ref") && method.equals("POST")) {
                return groups.addOne(request, group, body);
            }
            if (n == 5 && s.get(2).equals("members") && s.get(4).equals("$ref") && method.equals("DELETE")) {
                return groups.remove(group, s.get(3));
            }
        }
        return null;
    }
}
