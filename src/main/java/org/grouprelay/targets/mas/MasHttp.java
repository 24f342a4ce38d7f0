package org.grouprelay.targets.mas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.grouprelay.config.MasConfig;
import org.grouprelay.targets.TargetException;
import org.grouprelay.targets.http.JsonHttp;
import org.grouprelay.targets.http.TokenCache;
import java.time.Duration;

/**
 * MAS's admin API ({@code {url}/api/admin/v1}) with a token from the client-credentials grant at {@code {url}/oauth2/token},
 * scope {@code urn:mas:admin}, the client authenticated with HTTP Basic (docs/topics/admin-api.md). The token is cached
 * until 30 s before it expires and fetched again once on a 401. Failures are classified by {@link JsonHttp}.
 */
final class MasHttp implements AutoCloseable {
    static final String SCOPE = "urn:mas:admin";
    private static final MediaType JSON = MediaType.get("application/json");

    /** The first of MAS's {@code errors[].title}, or the body as text. */
    static String message(JsonHttp.Answer answer) {
        return detail(answer.body());
    }

    private static String detail(JsonNode body) {
        JsonNode title = body.path("errors").path(0).path("title");
        return title.isMissingNode() ? (body.isMissingNode() ? "" : body.toString()) : title.asText();
    }

    private final JsonHttp http;
    private final MasConfig config;
    private final String keyPrefix;
    private final TokenCache token;

    MasHttp(OkHttpClient client, MasConfig config, String keyPrefix, Clock clock) {
        this.http = new JsonHttp(client);
        this.config = config;
        this.keyPrefix = keyPrefix;
        this.token = new TokenCache(this::grant, Duration.ofSeconds(30), clock);
    }

    ObjectMapper json() {
        return http.json();
    }

    /** {@code GET /api/admin/v1/{path}} with query parameters (added encoded). */
    JsonHttp.Answer get(String path, java.util.Map<String, String> query, String what) throws TargetException {
        HttpUrl.Builder url = HttpUrl.get(config.url() + "/api/admin/v1/" + path).newBuilder();
        query.forEach(url::addQueryParameter);
        return send("GET", url.build(), null, what, true);
    }

    /** {@code POST /api/admin/v1/{path}} with a JSON body, or none. */
    JsonHttp.Answer post(String path, JsonNode body, String what) throws TargetException {
        return send("POST", HttpUrl.get(config.url() + "/api/admin/v1/" + path), body, what, true);
    }

    private JsonHttp.Answer send(String method, HttpUrl url, JsonNode body, String what, boolean mayRenew) throws TargetException {
        Request.Builder request = new Request.Builder().url(url).header("Authorization", "Bearer " + token.get()).header("Accept", "application/json");
        if (method.equals("POST")) {
            request.post(body == null ? RequestBody.create(new byte[0], null) : http.body(body, JSON));
        }
        JsonHttp.Answer answer = http.execute(request.build(), what, MasHttp::detail);
        if (answer.status() == 401 && mayRenew) {
            token.forget();
            return send(method, url, body, what, false);
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new TargetException(what + ": HTTP " + answer.status() + " " + message(answer) + "; " + keyPrefix + ".clientId must be an"
                    + " admin client in MAS's policy (policy.data.admin_clients) and the admin API enabled on a listener", false, null);
        }
        return answer;
    }

    /** A new admin token from MAS's token endpoint. */
    private TokenCache.Issued grant() throws TargetException {
        String what = "get an admin token from " + config.url();
        RequestBody form = new FormBody.Builder().add("grant_type", "client_credentials").add("scope", SCOPE).build();
        JsonHttp.Answer answer = http.execute(new Request.Builder().url(config.url() + "/oauth2/token")
                .header("Authorization", Credentials.basic(config.clientId(), config.clientSecret().value())).post(form).build(), what,
                MasHttp::detail);
        if (!answer.ok()) {
            String error = answer.body().path("error").asText("") + " " + answer.body().path("error_description").asText("");
            throw new TargetException(what + ": HTTP " + answer.status() + " " + error.strip() + "; check " + keyPrefix + ".clientId and"
                    + " .clientSecret, and that MAS's policy lists the client as an admin client", false, null);
        }
        return new TokenCache.Issued(answer.body().path("access_token").asText(), Duration.ofSeconds(answer.body().path("expires_in").asLong(300)));
    }

    long requests() {
        return http.requests();
    }

    @Override
    public void close() {
        http.close();
    }
}
