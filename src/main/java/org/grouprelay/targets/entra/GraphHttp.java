package org.grouprelay.targets.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.grouprelay.config.EntraConfig;
import org.grouprelay.targets.TargetException;

/**
 * Microsoft Graph with an application token: the client-credentials grant at {@code {authorityUrl}/{tenantId}/oauth2/v2.0/token}
 * (scope {@code {graphUrl}/.default}), cached until a minute before it expires and fetched again once on a 401. Connection
 * errors, timeouts, 5xx and 429 are transient (429 and 503 with their {@code Retry-After}); other answers go to the caller.
 */
final class GraphHttp implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");

    /** One answer: status and body ({@link MissingNode} when empty). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Graph's {@code error.message}, or the body as text. */
        String message() {
            JsonNode error = body.path("error");
            if (error.isObject()) {
                return error.path("code").asText("") + ": " + error.path("message").asText("");
            }
            return body.isMissingNode() ? "" : body.toString();
        }
    }

    private record Token(String value, Instant renewAt) {
    }

    private final OkHttpClient client;
    private final EntraConfig config;
    private final String keyPrefix;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();
    private Token token;

    GraphHttp(OkHttpClient client, EntraConfig config, String keyPrefix, Clock clock) {
        this.client = client;
        this.config = config;
        this.keyPrefix = keyPrefix;
        this.clock = clock;
    }

    ObjectMapper json() {
        return json;
    }

    /** {@code {graphUrl}/v1.0/directoryObjects/{id}}, as {@code members@odata.bind} and {@code $ref} take it. */
    String directoryObject(String id) {
        return config.graphUrl() + "/v1.0/directoryObjects/" + id;
    }

    Answer get(String pathAndQuery, String what) throws TargetException {
        return call("GET", pathAndQuery, null, what);
    }

    /** A {@code @odata.nextLink}: an absolute URL Graph gave us. */
    Answer next(String absoluteUrl, String what) throws TargetException {
        return send(new Request.Builder().url(absoluteUrl).get(), what, true);
    }

    Answer call(String method, String pathAndQuery, JsonNode body, String what) throws TargetException {
        RequestBody content = body == null ? null : RequestBody.create(write(body), JSON);
        if (content == null && (method.equals("POST") || method.equals("PATCH"))) {
            content = RequestBody.create(new byte[0], JSON);
        }
        Request.Builder request = new Request.Builder().url(config.graphUrl() + "/v1.0/" + pathAndQuery).method(method, content);
        return send(request, what, true);
    }

    private Answer send(Request.Builder request, String what, boolean mayRenew) throws TargetException {
        request.header("Authorization", "Bearer " + token()).header("Accept", "application/json");
        Answer answer = execute(request.build(), what);
        if (answer.status() == 401 && mayRenew) {
            synchronized (this) {
                token = null; // revoked or expired early: one fresh token, one more try
            }
            return send(request, what, false);
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new TargetException(what + ": HTTP " + answer.status() + " " + answer.message() + "; the app registration "
                    + config.clientId() + " needs the application permissions GroupMember.ReadWrite.All and User.Read.All"
                    + (config.invite() ? " and User.Invite.All" : "") + ", with admin consent", false, null);
        }
        return answer;
    }

    private Answer execute(Request request, String what) throws TargetException {
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
                throw new TargetException(what + ": HTTP " + status + " " + new Answer(status, body).message(), true, null);
            }
            return new Answer(status, body);
        } catch (IOException e) {
            throw new TargetException(what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, e);
        }
    }

    /** The cached application token, or a new one. */
    synchronized String token() throws TargetException {
        if (token != null && clock.instant().isBefore(token.renewAt())) {
            return token.value();
        }
        String what = "get a Graph token for tenant " + config.tenantId();
        HttpUrl url = HttpUrl.get(config.authorityUrl() + "/" + config.tenantId() + "/oauth2/v2.0/token");
        RequestBody form = new FormBody.Builder().add("grant_type", "client_credentials").add("client_id", config.clientId())
                .add("client_secret", config.clientSecret().value()).add("scope", audience() + "/.default").build();
        Answer answer = execute(new Request.Builder().url(url).post(form).build(), what);
        if (!answer.ok()) {
            String error = answer.body().path("error").asText("") + " " + answer.body().path("error_description").asText("");
            throw new TargetException(what + ": HTTP " + answer.status() + " " + error.strip().lines().findFirst().orElse("")
                    + "; check " + keyPrefix + ".tenantId, .clientId and .clientSecret", false, null);
        }
        long seconds = answer.body().path("expires_in").asLong(300);
        token = new Token(answer.body().path("access_token").asText(), clock.instant().plusSeconds(Math.max(0, seconds - 60)));
        return token.value();
    }

    /**
     * The resource the token is for: Graph's own URL ({@code https://graph.microsoft.us} in that cloud). A loopback
     * {@code graphUrl} is a stand-in for, or a proxy in front of, the global service: its audience is Graph's.
     */
    private String audience() {
        String host = HttpUrl.get(config.graphUrl()).host();
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
        return loopback ? "https://graph.microsoft.com" : config.graphUrl();
    }

    private byte[] write(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a JsonNode always serializes
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text.length() > 200 ? text.substring(0, 200) + "…" : text);
        }
    }

    static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
