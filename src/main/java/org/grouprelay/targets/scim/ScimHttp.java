package org.grouprelay.targets.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;

/**
 * SCIM 2.0 over HTTP (RFC 7644): bearer token, {@code application/scim+json}, and failures classified as the relay
 * needs them: connection errors, timeouts, 5xx and 429 are transient (429 with its {@code Retry-After}); other 4xx are
 * permanent, with the server's {@code detail}. 404, 409 and 412 are answered to the caller, who knows what they mean.
 */
final class ScimHttp implements AutoCloseable {
    static final MediaType SCIM_JSON = MediaType.get("application/scim+json");
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private final JsonHttp http;
    private final HttpUrl base;
    private final String token;
    private final String keyPrefix;

    /** {@code keyPrefix} names the target's keys in errors, e.g. {@code targets.apps}. */
    ScimHttp(OkHttpClient client, String url, String token, String keyPrefix) {
        this.http = new JsonHttp(client);
        this.base = HttpUrl.get(url + "/");
        this.token = token;
        this.keyPrefix = keyPrefix;
    }

    ObjectMapper json() {
        return http.json();
    }

    JsonHttp.Answer get(String path, Map<String, String> query, String what) throws TargetException {
        HttpUrl.Builder url = url(path).newBuilder();
        query.forEach(url::addQueryParameter);
        return send(new Request.Builder().url(url.build()).get(), what);
    }

    JsonHttp.Answer post(String path, JsonNode body, String what) throws TargetException {
        return send(new Request.Builder().url(url(path)).post(body(body)), what);
    }

    JsonHttp.Answer put(String path, JsonNode body, Optional<String> ifMatch, String what) throws TargetException {
        Request.Builder request = new Request.Builder().url(url(path)).put(body(body));
        ifMatch.ifPresent(tag -> request.header("If-Match", tag));
        return send(request, what);
    }

    JsonHttp.Answer patch(String path, JsonNode body, Optional<String> ifMatch, String what) throws TargetException {
        Request.Builder request = new Request.Builder().url(url(path)).patch(body(body));
        ifMatch.ifPresent(tag -> request.header("If-Match", tag));
        return send(request, what);
    }

    JsonHttp.Answer delete(String path, String what) throws TargetException {
        return send(new Request.Builder().url(url(path)).delete(), what);
    }

    private HttpUrl url(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private RequestBody body(JsonNode body) {
        return http.body(body, SCIM_JSON);
    }

    private JsonHttp.Answer send(Request.Builder request, String what) throws TargetException {
        Request built = request.header("Authorization", "Bearer " + token).header("Accept", "application/scim+json, application/json").build();
        JsonHttp.Answer answer = http.execute(built, what, ScimHttp::detail);
        if (answer.status() == 401 || answer.status() == 403) {
            throw new TargetException(what + ": HTTP " + answer.status() + detail(answer.body()) + "; check " + keyPrefix + ".token (a provisioning token"
                    + " the application accepts)", false, null);
        }
        return answer;
    }

    /** A 4xx the caller did not expect: permanent, with the server's words. */
    TargetException refused(JsonHttp.Answer answer, String what) {
        return new TargetException(what + ": HTTP " + answer.status() + detail(answer.body()), false, null);
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

    /** Requests sent so far. */
    long requests() {
        return http.requests();
    }

    String base() {
        return base.toString();
    }

    @Override
    public void close() {
        http.close();
    }
}
