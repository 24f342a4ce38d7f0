package org.grouprelay.targets.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.grouprelay.targets.TargetException;

/**
 * SCIM 2.0 over HTTP (RFC 7644): bearer token, {@code application/scim+json}, and failures classified as the relay
 * needs them: connection errors, timeouts, 5xx and 429 are transient (429 with its {@code Retry-After}); other 4xx are
 * permanent, with the server's {@code detail}. 404, 409 and 412 are answered to the caller, who knows what they mean.
 */
final class ScimHttp implements AutoCloseable {
    static final MediaType SCIM_JSON = MediaType.get("application/scim+json");
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /** One answer: status, body ({@link MissingNode} when empty), and the weak ETag if the server sent one. */
    record Answer(int status, JsonNode body, Optional<String> etag) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final OkHttpClient client;
    private final HttpUrl base;
    private final String token;
    private final String keyPrefix;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();

    /** {@code keyPrefix} names the target's keys in errors, e.g. {@code targets.apps}. */
    ScimHttp(OkHttpClient client, String url, String token, String keyPrefix) {
        this.client = client;
        this.base = HttpUrl.get(url + "/");
        this.token = token;
        this.keyPrefix = keyPrefix;
    }

    ObjectMapper json() {
        return json;
    }

    Answer get(String path, Map<String, String> query, String what) throws TargetException {
        HttpUrl.Builder url = url(path).newBuilder();
        query.forEach(url::addQueryParameter);
        return send(new Request.Builder().url(url.build()).get(), what);
    }

    Answer post(String path, JsonNode body, String what) throws TargetException {
        return send(new Request.Builder().url(url(path)).post(body(body)), what);
    }

    Answer put(String path, JsonNode body, Optional<String> ifMatch, String what) throws TargetException {
        Request.Builder request = new Request.Builder().url(url(path)).put(body(body));
        ifMatch.ifPresent(tag -> request.header("If-Match", tag));
        return send(request, what);
    }

    Answer patch(String path, JsonNode body, Optional<String> ifMatch, String what) throws TargetException {
        Request.Builder request = new Request.Builder().url(url(path)).patch(body(body));
        ifMatch.ifPresent(tag -> request.header("If-Match", tag));
        return send(request, what);
    }

    Answer delete(String path, String what) throws TargetException {
        return send(new Request.Builder().url(url(path)).delete(), what);
    }

    private HttpUrl url(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private RequestBody body(JsonNode body) {
        try {
            return RequestBody.create(json.writeValueAsBytes(body), SCIM_JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a JsonNode always serializes
        }
    }

    private Answer send(Request.Builder request, String what) throws TargetException {
        Request built = request.header("Authorization", "Bearer " + token).header("Accept", "application/scim+json, application/json").build();
        requests.incrementAndGet();
        try (Response response = client.newCall(built).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            JsonNode body = text.isBlank() ? MissingNode.getInstance() : parse(text);
            int status = response.code();
            if (status == 429) {
                Optional<Duration> after = retryAfter(response.header("Retry-After"));
                throw new TargetException(what + ": HTTP 429 too many requests" + after.map(d -> ", retry after " + d.toSeconds() + " s").orElse(""),
                        true, null, after);
            }
            if (status >= 500) {
                throw new TargetException(what + ": HTTP " + status + detail(body), true, null);
            }
            if (status == 401 || status == 403) {
                throw new TargetException(what + ": HTTP " + status + detail(body) + "; check " + keyPrefix + ".token (a provisioning token"
                        + " the application accepts)", false, null);
            }
            return new Answer(status, body, Optional.ofNullable(response.header("ETag")));
        } catch (IOException e) {
            throw new TargetException(what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, e);
        }
    }

    /** A 4xx the caller did not expect: permanent, with the server's words. */
    TargetException refused(Answer answer, String what) {
        return new TargetException(what + ": HTTP " + answer.status() + detail(answer.body()), false, null);
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text.length() > 200 ? text.substring(0, 200) + "…" : text);
        }
    }

    /** {@code : "detail"} from a SCIM error body (RFC 7644 §3.12), or the text the server sent. */
    static String detail(JsonNode body) {
        if (body.isTextual()) {
            return ": " + body.asText();
        }
        String detail = body.path("detail").asText("");
        String type = body.path("scimType").asText("");
        return detail.isEmpty() && type.isEmpty() ? "" : ": " + (type.isEmpty() ? "" : type + ": ") + detail;
    }

    private static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: our own backoff applies
        }
    }

    /** Requests sent so far. */
    long requests() {
        return requests.get();
    }

    String base() {
        return base.toString();
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
