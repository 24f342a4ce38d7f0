package org.grouprelay.targets.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.grouprelay.targets.TargetException;

/**
 * JSON over HTTP for the targets that speak it (SCIM, Graph, MAS), with failures classified as the relay needs them:
 * connection errors, timeouts and 5xx are transient, 429 and 503 with their {@code Retry-After}; every other answer goes
 * back to the caller, who knows what it means.
 */
public final class JsonHttp implements AutoCloseable {
    /** One answer: status, body ({@link MissingNode} when empty) and a header lookup. */
    public record Answer(int status, JsonNode body, Function<String, String> headers) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.apply(name));
        }
    }

    private final OkHttpClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();

    public JsonHttp(OkHttpClient client) {
        this.client = client;
    }

    public ObjectMapper json() {
        return json;
    }

    /** {@code body} as a request body of {@code type}. */
    public RequestBody body(JsonNode body, MediaType type) {
        try {
            return RequestBody.create(json.writeValueAsBytes(body), type);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a JsonNode always serializes
        }
    }

    /**
     * Sends {@code request}; {@code what} starts every error message, {@code detail} words the server's error body
     * (each API has its own error format).
     */
    public Answer execute(Request request, String what, Function<JsonNode, String> detail) throws TargetException {
        requests.incrementAndGet();
        try (Response response = client.newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            JsonNode body = text.isBlank() ? MissingNode.getInstance() : parse(text);
            int status = response.code();
            if (status == 429 || status == 503) {
                Optional<Duration> after = retryAfter(response.header("Retry-After"));
                throw new TargetException(what + ": HTTP " + status + (status == 429 ? " too many requests" : " service unavailable")
                        + after.map(d -> ", retry after " + d.toSeconds() + " s").orElse(""), true, null, after);
            }
            if (status >= 500) {
                throw new TargetException(what + ": HTTP " + status + " " + detail.apply(body), true, null);
            }
            okhttp3.Headers headers = response.headers();
            return new Answer(status, body, headers::get);
        } catch (IOException e) {
            throw new TargetException(what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, e);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text.length() > 200 ? text.substring(0, 200) + "…" : text);
        }
    }

    /** A {@code Retry-After} of seconds; an HTTP date (or none) leaves the relay's own backoff. */
    public static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Requests sent so far. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
