package org.grouprelay.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keycloak's REST API over plain HTTP: one place that sends every request, with a bearer token it
 * fetches (and renews before expiry) from a token endpoint, and turns every failure into a
 * {@link KeycloakException} that names the request and Keycloak's answer.
 */
public final class KeycloakHttp {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final TokenGrant grant;
    private final HttpClient client;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    /** How a token is obtained: the token endpoint's realm and the form fields of the grant. */
    public record TokenGrant(String realm, Map<String, String> form) {
        /** A confidential client's own service account (the follower's read-only client). */
        public static TokenGrant clientCredentials(String realm, String clientId, String secret) {
            return new TokenGrant(realm, Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
        }

        /** An administrator of the master realm, through Keycloak's own {@code admin-cli} client. */
        public static TokenGrant masterAdmin(String user, String password) {
            return new TokenGrant("master", Map.of("grant_type", "password", "client_id", "admin-cli", "username", user,
                    "password", password));
        }
    }

    public KeycloakHttp(URI base, TokenGrant grant, Clock clock) {
        this.base = base;
        this.grant = grant;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI base() {
        return base;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    /** GET {@code path} (below the base URL) and parse the JSON answer. */
    public JsonNode get(String path) throws KeycloakException {
        return parse("GET", path, send("GET", path, null));
    }

    /** POST a JSON body; returns the {@code Location} header's last path segment (a created id), if any. */
    public Optional<String> post(String path, Object body) throws KeycloakException {
        return send("POST", path, body).headers().firstValue("Location").map(l -> l.substring(l.lastIndexOf('/') + 1));
    }

    /** POST a JSON body (or none) and parse the JSON answer. */
    public JsonNode postForJson(String path, Object body) throws KeycloakException {
        return parse("POST", path, send("POST", path, body));
    }

    public JsonNode postForJson(String path) throws KeycloakException {
        return postForJson(path, null);
    }

    public void put(String path, Object body) throws KeycloakException {
        send("PUT", path, body);
    }

    public void delete(String path) throws KeycloakException {
        send("DELETE", path, null);
    }

    /** {@code key=value&…} with every value URL-encoded. */
    public static String query(Map<String, ?> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> send(String method, String path, Object body) throws KeycloakException {
        String bearer = token();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(base.getPath() + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        HttpResponse<String> response = exchange(request.build(), method + " " + path);
        if (response.statusCode() == 401) {
            tokenExpires = Instant.MIN; // revoked or expired early: the next call fetches a new one
        }
        return check(response, method + " " + path);
    }

    private synchronized String token() throws KeycloakException {
        if (token != null && clock.instant().isBefore(tokenExpires)) {
            return token;
        }
        String path = "/realms/" + encode(grant.realm()) + "/protocol/openid-connect/token";
        HttpRequest request = HttpRequest.newBuilder(base.resolve(base.getPath() + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(query(grant.form()))).build();
        HttpResponse<String> response = check(exchange(request, "token request to realm " + grant.realm()),
                "token request to realm " + grant.realm() + " as " + grant.form().getOrDefault("username", grant.form().get("client_id")));
        JsonNode answer = parse("POST", path, response);
        token = answer.path("access_token").asText(null);
        if (token == null) {
            throw new KeycloakException("Keycloak " + base + ": the token endpoint of realm " + grant.realm() + " answered without an access_token", 0);
        }
        long lifetime = Math.max(answer.path("expires_in").asLong(60), 10);
        tokenExpires = clock.instant().plusSeconds(lifetime - 5);
        return token;
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) throws KeycloakException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new KeycloakException("Keycloak " + base + " is not reachable (" + what + "): " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakException("interrupted while waiting for Keycloak (" + what + ")", e);
        }
    }

    private HttpResponse<String> check(HttpResponse<String> response, String what) throws KeycloakException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String body = response.body() == null ? "" : response.body().strip();
        String detail = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        throw new KeycloakException("Keycloak " + base + " refused " + what + ": HTTP " + status
                + (detail.isEmpty() ? "" : " " + detail) + hint(status), status);
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> " (check the client id and secret, or the admin user and password)";
            case 403 -> " (the account lacks a role: the follower's client needs view-events, view-realm, query-groups and view-users of realm-management)";
            case 404 -> " (check keycloak.url and keycloak.realm)";
            default -> "";
        };
    }

    private JsonNode parse(String method, String path, HttpResponse<String> response) throws KeycloakException {
        try {
            String body = response.body();
            return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new KeycloakException("Keycloak " + base + " answered " + method + " " + path + " with something that is not JSON", e);
        }
    }

    private static String write(Object body) throws KeycloakException {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new KeycloakException("could not write a request body: " + e.getMessage(), e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
