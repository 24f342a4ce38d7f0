package org.grouprelay.targets.mas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.grouprelay.config.MasConfig;
import org.grouprelay.targets.TargetException;

/**
 * MAS's admin API ({@code {url}/api/admin/v1}) with a token from the client-credentials grant at {@code {url}/oauth2/token},
 * scope {@code urn:mas:admin}, the client authenticated with HTTP Basic (docs/topics/admin-api.md). The token is cached
 * until 30 s before it expires and fetched again once on a 401. Connection errors, timeouts, 429 and 5xx are transient.
 */
final class MasHttp implements AutoCloseable {
    static final String SCOPE = "urn:mas:admin";
    private static final MediaType JSON = MediaType.get("application/json");

    /** One answer: status and body ({@link MissingNode} when empty). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The first of MAS's {@code errors[].title}, or the body as text. */
        String message() {
            JsonNode title = body.path("errors").path(0).path("title");
            return title.isMissingNode() ? (body.isMissingNode() ? "" : body.toString()) : title.asText();
        }
    }

    private record Token(String value, Instant renewAt) {
    }

    private final OkHttpClient client;
    private final MasConfig config;
    private final String keyPrefix;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();
    private Token token;

    MasHttp(OkHttpClient client, MasConfig config, String keyPrefix, Clock clock) {
        this.client = client;
        this.config = config;
        this.keyPrefix = keyPrefix;
        this.clock = clock;
    }

    ObjectMapper json() {
        return json;
    }

    /** {@code GET /api/admin/v1/{path}} with query parameters (added encoded). */
    Answer get(String path, java.util.Map<String, String> query, String what) throws TargetException {
        HttpUrl.Builder url = HttpUrl.get(config.url() + "/api/admin/v1/" + path).newBuilder();
        query.forEach(url::addQueryParameter);
        return send("GET", url.build(), null, what, true);
    }

    /** {@code POST /api/admin/v1/{path}} with a JSON body, or none. */
    Answer post(String path, JsonNode body, String what) throws TargetException {
        return send("POST", HttpUrl.get(config.url() + "/api/admin/v1/" + path), body, what, true);
    }

    private Answer send(String method, HttpUrl url, JsonNode body, String what, boolean mayRenew) throws TargetException {
        Request.Builder request = new Request.Builder().url(url).header("Authorization", "Bearer " + token()).header("Accept", "application/json");
        if (method.equals("POST")) {
            request.post(body == null ? RequestBody.create(new byte[0], null) : RequestBody.create(write(body), JSON));
        }
        Answer answer = execute(request.build(), what);
        if (answer.status() == 401 && mayRenew) {
            synchronized (this) {
                token = null;
            }
            return send(method, url, body, what, false);
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new TargetException(what + ": HTTP " + answer.status() + " " + answer.message() + "; " + keyPrefix + ".clientId must be an"
                    + " admin client in MAS's policy (policy.data.admin_clients) and the admin API enabled on a listener", false, null);
        }
        return answer;
    }

    private Answer execute(Request request, String what) throws TargetException {
        requests.incrementAndGet();
        try (Response response = client.newCall(request).execute()) {
            String text = response.body() == null ? "" : response.body().string();
            JsonNode body = text.isBlank() ? MissingNode.getInstance() : parse(text);
            int status = response.code();
            if (status == 429 || status >= 500) {
                throw new TargetException(what + ": HTTP " + status + " " + new Answer(status, body).message(), true, null);
            }
            return new Answer(status, body);
        } catch (IOException e) {
            throw new TargetException(what + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true, e);
        }
    }

    /** The cached admin token, or a new one. */
    synchronized String token() throws TargetException {
        if (token != null && clock.instant().isBefore(token.renewAt())) {
            return token.value();
        }
        String what = "get an admin token from " + config.url();
        RequestBody form = new FormBody.Builder().add("grant_type", "client_credentials").add("scope", SCOPE).build();
        Answer answer = execute(new Request.Builder().url(config.url() + "/oauth2/token")
                .header("Authorization", Credentials.basic(config.clientId(), config.clientSecret().value())).post(form).build(), what);
        if (!answer.ok()) {
            String error = answer.body().path("error").asText("") + " " + answer.body().path("error_description").asText("");
            throw new TargetException(what + ": HTTP " + answer.status() + " " + error.strip() + "; check " + keyPrefix + ".clientId and"
                    + " .clientSecret, and that MAS's policy lists the client as an admin client", false, null);
        }
        long seconds = answer.body().path("expires_in").asLong(300);
        token = new Token(answer.body().path("access_token").asText(), clock.instant().plusSeconds(Math.max(0, seconds - 30)));
        return token.value();
    }

    private byte[] write(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text.length() > 200 ? text.substring(0, 200) + "…" : text);
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
