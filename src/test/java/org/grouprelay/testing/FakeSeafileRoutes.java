package org.grouprelay.testing;

import static org.grouprelay.testing.FakeSeafile.error;
import static org.grouprelay.testing.FakeSeafile.first;
import static org.grouprelay.testing.FakeSeafile.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;

/** The admin endpoints of the fake Seafile, one method each, as seahub's views answer them. */
final class FakeSeafileRoutes {
    private final SeafileState state;
    private final ObjectMapper json;

    FakeSeafileRoutes(SeafileState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    MockResponse route(String method, HttpUrl url, String contentType, String body) throws SeafileState.Refused {
        List<String> path = new ArrayList<>(url.pathSegments());
        if (!path.isEmpty() && path.get(path.size() - 1).isEmpty()) {
            path.remove(path.size() - 1);
        } else {
            return error(404, "detail", "Not found."); // Django's APPEND_SLASH does not apply to POST/PUT/DELETE
        }
        if (path.size() < 4 || !path.subList(0, 3).equals(List.of("api", "v2.1", "admin"))) {
            return error(404, "detail", "Not found.");
        }
        List<String> rest = path.subList(3, path.size());
        String resource = rest.get(0);
        if (resource.equals("users") && rest.size() == 1 && method.equals("GET")) {
            return users(url);
        }
        if (!resource.equals("groups")) {
            return error(404, "detail", "Not found.");
        }
        if (rest.size() == 1) {
            return switch (method) {
                case "GET" -> listGroups(url);
                case "POST" -> createGroup(data(contentType, body));
                default -> error(405, "detail", "Method \"" + method + "\" not allowed.");
            };
        }
        long id = Long.parseLong(rest.get(1));
        if (rest.size() == 2) {
            return switch (method) {
                case "PUT" -> updateGroup(id, data(contentType, body));
                case "DELETE" -> {
                    state.delete(id);
                    yield ok(json.createObjectNode().put("success", true));
                }
                default -> error(405, "detail", "Method \"" + method + "\" not allowed.");
            };
        }
        if (rest.get(2).equals("members") && rest.size() == 3) {
            return switch (method) {
                case "GET" -> listMembers(id, url);
                case "POST" -> addMembers(id, contentType, body);
                default -> error(405, "detail", "Method \"" + method + "\" not allowed.");
            };
        }
        if (rest.get(2).equals("members") && rest.size() == 4 && method.equals("DELETE")) {
            state.removeMember(id, rest.get(3));
            return ok(json.createObjectNode().put("success", true));
        }
        return error(404, "detail", "Not found.");
    }

    private MockResponse listGroups(HttpUrl url) {
        String name = url.queryParameter("name");
        ArrayNode groups = json.createArrayNode();
        if (name != null) {
            state.newestFirst().stream().filter(g -> g.name().contains(name)).forEach(g -> groups.add(group(g)));
            ObjectNode body = json.createObjectNode().put("name", name);
            body.set("groups", groups);
            return ok(body);
        }
        int page = intParam(url, "page", 1);
        int perPage = intParam(url, "per_page", 100);
        List<SeafileState.Group> all = state.newestFirst();
        int from = Math.min(all.size(), (page - 1) * perPage);
        all.subList(from, Math.min(all.size(), from + perPage)).forEach(g -> groups.add(group(g)));
        ObjectNode body = json.createObjectNode();
        body.putObject("page_info").put("has_next_page", all.size() > from + perPage).put("current_page", page);
        body.set("groups", groups);
        return ok(body);
    }

    private MockResponse createGroup(Map<String, List<String>> data) throws SeafileState.Refused {
        String owner = first(data, "group_owner");
        SeafileState.Group group = state.create(first(data, "group_name"), owner == null ? FakeSeafile.ADMIN : owner);
        return FakeSeafile.status(201, group(group));
    }

    private MockResponse updateGroup(long id, Map<String, List<String>> data) throws SeafileState.Refused {
        state.existing(id);
        SeafileState.Group group = state.existing(id);
        if (first(data, "new_owner") != null) {
            group = state.transfer(id, first(data, "new_owner"));
        }
        if (first(data, "name") != null) {
            group = state.rename(id, first(data, "name"));
        }
        return ok(group(group));
    }

    private MockResponse listMembers(long id, HttpUrl url) throws SeafileState.Refused {
        SeafileState.Group group = state.existing(id);
        int page = intParam(url, "page", 1);
        int perPage = intParam(url, "per_page", 100);
        Map<String, String> roles = state.roles(id);
        List<String> all = state.members(id);
        int from = Math.min(all.size(), (page - 1) * perPage);
        ArrayNode members = json.createArrayNode();
        all.subList(from, Math.min(all.size(), from + perPage)).forEach(email -> members.add(member(id, email, roles.get(email))));
        ObjectNode body = json.createObjectNode().put("group_id", id).put("group_name", group.name());
        body.set("members", members);
        body.putObject("page_info").put("has_next_page", all.size() > from + perPage).put("current_page", page);
        return ok(body);
    }

    /** seahub reads request.POST.getlist('email'): a JSON body leaves it empty. */
    private MockResponse addMembers(long id, String contentType, String body) throws SeafileState.Refused {
        state.existing(id);
        List<String> emails = isForm(contentType) ? FakeSeafile.form(body).getOrDefault("email", List.of()) : List.of();
        if (emails.isEmpty()) {
            return error(400, "error_msg", "Email invalid.");
        }
        ArrayNode success = json.createArrayNode();
        ArrayNode failed = json.createArrayNode();
        for (String email : emails) {
            String refused = state.addMember(id, email);
            if (refused == null) {
                success.add(member(id, email.toLowerCase(java.util.Locale.ROOT), "Member"));
            } else {
                failed.addObject().put("email", email).put("error_msg", refused);
            }
        }
        ObjectNode out = json.createObjectNode();
        out.set("success", success);
        out.set("failed", failed);
        return ok(out);
    }

    private MockResponse users(HttpUrl url) {
        boolean ldap = "ldapimport".equals(url.queryParameter("source"));
        int page = intParam(url, "page", 1);
        int perPage = intParam(url, "per_page", 25);
        List<SeafileState.User> all = state.users().stream().filter(u -> u.ldapImport() == ldap).toList();
        int from = Math.min(all.size(), (page - 1) * perPage);
        ArrayNode data = json.createArrayNode();
        for (SeafileState.User user : all.subList(from, Math.min(all.size(), from + perPage))) {
            ObjectNode item = data.addObject().put("email", user.email()).put("name", user.email().split("@")[0])
                    .put("contact_email", user.contactEmail() == null ? "" : user.contactEmail()).put("login_id", "")
                    .put("is_staff", user.email().equals(FakeSeafile.ADMIN)).put("is_active", true);
            ArrayNode social = item.putArray("social_auth");
            user.socialAuth().forEach(s -> social.addObject().put("provider", s.provider()).put("uid", s.uid()));
        }
        ObjectNode body = json.createObjectNode();
        body.set("data", data);
        body.put("total_count", all.size());
        return ok(body);
    }

    private ObjectNode group(SeafileState.Group g) {
        return json.createObjectNode().put("id", g.id()).put("name", g.name()).put("owner", g.owner())
                .put("owner_name", g.owner().split("@")[0]).put("created_at", "2026-01-01T00:00:00+00:00").put("quota", -2)
                .put("parent_group_id", 0);
    }

    private ObjectNode member(long groupId, String email, String role) {
        return json.createObjectNode().put("group_id", groupId).put("name", email.split("@")[0]).put("email", email)
                .put("contact_email", "").put("login_id", "").put("avatar_url", "").put("is_admin", !"Member".equals(role))
                .put("role", role);
    }

    private static boolean isForm(String contentType) {
        return contentType != null && (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/form-data"));
    }

    /** DRF's request.data: JSON or form. */
    private Map<String, List<String>> data(String contentType, String body) throws SeafileState.Refused {
        if (contentType != null && contentType.startsWith("application/json")) {
            try {
                Map<String, List<String>> data = new LinkedHashMap<>();
                JsonNode node = json.readTree(body);
                node.fields().forEachRemaining(e -> data.put(e.getKey(), List.of(e.getValue().asText())));
                return data;
            } catch (IOException e) {
                throw new SeafileState.Refused(400, "JSON parse error");
            }
        }
        return FakeSeafile.form(body);
    }

    private static int intParam(HttpUrl url, String name, int defaultValue) {
        String value = url.queryParameter(name);
        return value == null ? defaultValue : Integer.parseInt(value);
    }
}
