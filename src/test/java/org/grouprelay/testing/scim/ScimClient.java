package org.grouprelay.testing.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A plain java.net.http client for {@link ScimServerIT}: one call, one answer, JSON parsed. */
final class ScimClient {
    record Answer(int status, JsonNode json, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;

    ScimClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    Answer get(String path) throws IOException {
        return send("GET", path, null, Map.of());
    }

    Answer filter(String resource, String filter) throws IOException {
        return get(resource + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    }

    Answer post(String path, String body) throws IOException {
        return send("POST", path, body, Map.of());
    }

    Answer put(String path, String body) throws IOException {
        return send("PUT", path, body, Map.of());
    }

    Answer patch(String path, String body) throws IOException {
        return send("PATCH", path, body, Map.of());
    }

    Answer delete(String path) throws IOException {
        return send("DELETE", path, null, Map.of());
    }

    Answer send(String method, String path, String body, Map<String, String> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/scim+json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text == null || text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
            return new Answer(response.statusCode(), json, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** POST /Users with a userName; the new id. */
    String createUser(String userName) throws IOException {
        Answer answer = post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                 "externalId":"ext-%s","active":true,"emails":[{"value":"%s@example.org","primary":true}]}
                """.formatted(userName, userName, userName));
        return idOf(answer);
    }

    String createGroup(String displayName) throws IOException {
        return idOf(post("/Groups", group(displayName)));
    }

    static String group(String displayName) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"%s"}
                """.formatted(displayName);
    }

    private static String idOf(Answer answer) {
        if (answer.status() != 201) {
            throw new UncheckedIOException(new IOException("create answered " + answer.status() + ": " + answer.json()));
        }
        return answer.json().get("id").asText();
    }
}
