package org.grouprelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grouprelay.keycloak.KeycloakException;
import org.grouprelay.keycloak.KeycloakHttp;

/**
 * One realm of a {@link KeycloakServer}, driven through Keycloak's admin REST API as the master-realm
 * administrator (what an admin does in the console), with groups remembered by their current name.
 */
public final class KeycloakRealmAdmin {
    private final KeycloakServer server;
    private final String realm;
    private final KeycloakHttp http;
    private final Map<String, String> groupIds = new LinkedHashMap<>();

    public KeycloakRealmAdmin(KeycloakServer server, String realm) {
        this.server = server;
        this.realm = realm;
        this.http = new KeycloakHttp(URI.create(server.url()), KeycloakHttp.TokenGrant.masterAdmin(KeycloakServer.ADMIN,
                KeycloakServer.ADMIN_PASSWORD), Clock.systemUTC());
    }

    public KeycloakHttp http() {
        return http;
    }

    /** {@code /admin/realms/<realm>} followed by {@code suffix}. */
    public String path(String suffix) {
        return "/admin/realms/" + realm + suffix;
    }

    public String group(String name) {
        String id = groupIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException("no group " + name + " created by this test");
        }
        return id;
    }

    /** Creates a group at the top ({@code parentName} null) or below a parent. */
    public String createGroup(String name, String parentName) throws KeycloakException {
        ObjectNode rep = KeycloakHttp.json().createObjectNode();
        rep.put("name", name);
        String id = parentName == null ? http.post(path("/groups"), rep).orElseThrow()
                : http.postForJson(path("/groups/" + group(parentName) + "/children"), rep).path("id").asText();
        groupIds.put(name, id);
        return id;
    }

    public void renameGroup(String from, String to) throws KeycloakException {
        ObjectNode rep = KeycloakHttp.json().createObjectNode();
        rep.put("name", to);
        http.put(path("/groups/" + group(from)), rep);
        groupIds.put(to, groupIds.remove(from));
    }

    /** Sets one attribute of a group, as the console's group "Attributes" tab does. */
    public void setGroupAttribute(String name, String attribute, String value) throws KeycloakException {
        ObjectNode rep = KeycloakHttp.json().createObjectNode();
        rep.put("name", name);
        rep.putObject("attributes").putArray(attribute).add(value);
        http.put(path("/groups/" + group(name)), rep);
    }

    /** Moves a group to the top level, as the console's "Move to" root does. */
    public void moveGroupToTop(String name) throws KeycloakException {
        ObjectNode rep = KeycloakHttp.json().createObjectNode();
        rep.put("id", group(name));
        rep.put("name", name);
        http.post(path("/groups"), rep);
    }

    public void deleteGroup(String name) throws KeycloakException {
        http.delete(path("/groups/" + group(name)));
    }

    public void addMember(String user, String groupName) throws KeycloakException {
        http.put(path("/users/" + userId(user) + "/groups/" + group(groupName)), null);
    }

    public void removeMember(String user, String groupName) throws KeycloakException {
        http.delete(path("/users/" + userId(user) + "/groups/" + group(groupName)));
    }

    /** Creates an enabled user with a permanent password; returns Keycloak's id. */
    public String createUser(String username, String email, String first, String last, String password) throws KeycloakException {
        ObjectNode user = KeycloakHttp.json().createObjectNode();
        user.put("username", username);
        user.put("email", email);
        user.put("firstName", first);
        user.put("lastName", last);
        user.put("enabled", true);
        String id = http.post(path("/users"), user).orElseThrow();
        ObjectNode credential = KeycloakHttp.json().createObjectNode();
        credential.put("type", "password");
        credential.put("value", password);
        credential.put("temporary", false);
        http.put(path("/users/" + id + "/reset-password"), credential);
        return id;
    }

    public void deleteUser(String username) throws KeycloakException {
        http.delete(path("/users/" + userId(username)));
    }

    /** Keycloak's id of {@code username} (looking it up imports a directory user). */
    public String userId(String username) throws KeycloakException {
        JsonNode found = http.get(path("/users?exact=true&username=" + username));
        if (found.size() != 1) {
            throw new IllegalStateException(found.size() + " Keycloak users named " + username);
        }
        return found.get(0).path("id").asText();
    }

    /** A public client that may log users in with their password (direct access grant). */
    public void createPasswordLoginClient(String clientId) throws KeycloakException {
        ObjectNode login = KeycloakHttp.json().createObjectNode();
        login.put("clientId", clientId);
        login.put("publicClient", true);
        login.put("directAccessGrantsEnabled", true);
        login.put("standardFlowEnabled", false);
        http.post(path("/clients"), login);
    }

    /** A password login at the token endpoint: the HTTP status, and the access token's claims on success. */
    public Login login(String clientId, String user, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(KeycloakHttp.query(Map.of("grant_type", "password", "client_id", clientId,
                        "username", user, "password", password, "scope", "openid")))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return new Login(response.statusCode(), KeycloakHttp.json().nullNode(), response.body());
        }
        String token = KeycloakHttp.json().readTree(response.body()).path("access_token").asText();
        return new Login(200, KeycloakHttp.json().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])), response.body());
    }

    public record Login(int status, JsonNode claims, String body) {
    }
}
