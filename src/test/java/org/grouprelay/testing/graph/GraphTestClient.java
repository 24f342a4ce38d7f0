package org.grouprelay.testing.graph;

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

/** A plain HTTP client for proving the fake's rules: one token, JSON in and out. */
final class GraphTestClient {
    record Answer(int status, HttpResponse<String> response, JsonNode json) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String errorCode() {
            return json.path("error").path("code").asText("");
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeGraph graph;
    private String token;

    GraphTestClient(FakeGraph graph) {
        this.graph = graph;
    }

    Answer token(String secret, String scope) {
        String form = "grant_type=client_credentials&client_id=" + enc(graph.clientId()) + "&client_secret=" + enc(secret)
                + "&scope=" + enc(scope);
        return send(HttpRequest.newBuilder(URI.create(graph.url() + "/" + graph.tenantId() + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** Fetches a token with the right secret and scope and keeps it for the next calls. */
    GraphTestClient signIn() {
        Answer answer = token(graph.clientSecret(), "https://graph.microsoft.com/.default");
        if (answer.status() != 200) {
            throw new IllegalStateException("no token: " + answer.json());
        }
        token = answer.json().get("access_token").asText();
        return this;
    }

    Answer get(String pathAndQuery) {
        return call("GET", pathAndQuery, null);
    }

    /** {@code pathAndQuery} below /v1.0, or an absolute URL (a nextLink). */
    Answer call(String method, String pathAndQuery, String json) {
        String url = pathAndQuery.startsWith("http") ? pathAndQuery : graph.url() + "/v1.0" + pathAndQuery;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return send(builder);
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private Answer send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? mapper.createObjectNode() : mapper.readTree(response.body());
            return new Answer(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
