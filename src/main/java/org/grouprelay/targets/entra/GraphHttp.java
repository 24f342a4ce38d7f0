package org.grouprelay.targets.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.grouprelay.config.EntraConfig;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;
import org.grouprelay.targets.http.TokenCache;
import java.time.Duration;

/**
 * Microsoft Graph with an application token: the client-credentials grant at {@code {authorityUrl}/{tenantId}/oauth2/v2.0/token}
 * (scope {@code {graphUrl}/.default}), cached until a minute before it expires and fetched again once on a 401. Connection
 * errors, timeouts, 5xx and 429 are transient (429 and 503 with their {@code Retry-After}); other answers go to the caller.
 */
final class GraphHttp implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");

    /** Graph's {@code error.code: error.message}, or the body as text. */
    static String message(JsonHttp.Answer answer) {
        return detail(answer.body());
    }

    private static String detail(JsonNode body) {
        JsonNode error = body.path("error");
        if (error.isObject()) {
            return error.path("code").asText("") + ": " + error.path("message").asText("");
        }
        return body.isMissingNode() ? "" : body.toString();
    }

    private final JsonHttp http;
    private final EntraConfig config;
    private final String keyPrefix;
    private final TokenCache token;

    GraphHttp(OkHttpClient client, EntraConfig config, String keyPrefix, Clock clock) {
        this.http = new JsonHttp(client);
        this.config = config;
        this.keyPrefix = keyPrefix;
        this.token = new TokenCache(this::grant, Duration.ofSeconds(60), clock);
    }

    ObjectMapper json() {
        return http.json();
    }

    /** {@code {graphUrl}/v1.0/directoryObjects/{id}}, as {@code members@odata.bind} and {@code $ref} take it. */
    String directoryObject(String id) {
        return config.graphUrl() + "/v1.0/directoryObjects/" + id;
    }

    JsonHttp.Answer get(String pathAndQuery, String what) throws TargetException {
        return call("GET", pathAndQuery, null, what);
    }

    /** A {@code @odata.nextLink}: an absolute URL Graph gave us. */
    JsonHttp.Answer next(String absoluteUrl, String what) throws TargetException {
        return send(new Request.Builder().url(absoluteUrl).get(), what, true);
    }

    JsonHttp.Answer call(String method, String pathAndQuery, JsonNode body, String what) throws TargetException {
        RequestBody content = body == null ? null : http.body(body, JSON);
        if (content == null && (method.equals("POST") || method.equals("PATCH"))) {
            content = RequestBody.create(new byte[0], JSON);
        }
        Request.Builder request = new Request.Builder().url(config.graphUrl() + "/v1.0/" + pathAndQuery).method(method, content);
        return send(request, what, true);
    }

    private JsonHttp.Answer send(Request.Builder request, String what, boolean mayRenew) throws TargetException {
        request.header("Authorization", "Bearer " + token.get()).header("Accept", "application/json");
        JsonHttp.Answer answer = http.execute(request.build(), what, GraphHttp::detail);
        if (answer.status() == 401 && mayRenew) {
            token.forget(); // revoked or expired early: one fresh token, one more try
            return send(request, what, false);
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new TargetException(what + ": HTTP " + answer.status() + " " + message(answer) + "; the app registration "
                    + config.clientId() + " needs the application permissions GroupMember.ReadWrite.All and User.Read.All"
                    + (config.invite() ? " and User.Invite.All" : "") + ", with admin consent", false, null);
        }
        return answer;
    }

    /** A new application token from the authority. */
    private TokenCache.Issued grant() throws TargetException {
        String what = "get a Graph token for tenant " + config.tenantId();
        HttpUrl url = HttpUrl.get(config.authorityUrl() + "/" + config.tenantId() + "/oauth2/v2.0/token");
        RequestBody form = new FormBody.Builder().add("grant_type", "client_credentials").add("client_id", config.clientId())
                .add("client_secret", config.clientSecret().value()).add("scope", audience() + "/.default").build();
        JsonHttp.Answer answer = http.execute(new Request.Builder().url(url).post(form).build(), what, GraphHttp::detail);
        if (!answer.ok()) {
            String error = answer.body().path("error").asText("") + " " + answer.body().path("error_description").asText("");
            throw new TargetException(what + ": HTTP " + answer.status() + " " + error.strip().lines().findFirst().orElse("")
                    + "; check " + keyPrefix + ".tenantId, .clientId and .clientSecret", false, null);
        }
        return new TokenCache.Issued(answer.body().path("access_token").asText(), Duration.ofSeconds(answer.body().path("expires_in").asLong(300)));
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

    long requests() {
        return http.requests();
    }

    @Override
    public void close() {
        http.close();
    }
}
