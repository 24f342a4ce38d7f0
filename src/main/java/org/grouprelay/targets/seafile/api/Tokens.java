package org.grouprelay.targets.seafile.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.grouprelay.config.Secret;
import org.grouprelay.targets.TargetException;

/**
 * The admin API token: the configured one, or one obtained from {@code POST /api2/auth-token/} with
 * the configured username and password (kept in memory only, fetched again after a 401). Failures
 * to obtain it are transient: changes wait in the outbox until the credentials are fixed.
 */
final class Tokens {
    /** Sends a request through the rate limiter. */
    @FunctionalInterface
    interface Transport {
        Response send(Request request) throws IOException, InterruptedException;
    }

    private final Optional<Secret> fixed;
    private final Optional<String> username;
    private final Optional<Secret> password;
    private final HttpUrl authUrl;
    private final ObjectMapper json = new ObjectMapper();
    private String current;

    Tokens(Optional<Secret> fixed, Optional<String> username, Optional<Secret> password, HttpUrl base) {
        this.fixed = fixed;
        this.username = username;
        this.password = password;
        this.authUrl = base.newBuilder().addPathSegments("api2/auth-token/").build();
    }

    boolean renewable() {
        return fixed.isEmpty();
    }

    synchronized void forget(String token) {
        if (token.equals(current)) {
            current = null;
        }
    }

    synchronized String token(Transport transport) throws TargetException {
        if (fixed.isPresent()) {
            return fixed.get().reveal();
        }
        if (current == null) {
            current = obtain(transport);
        }
        return current;
    }

    private String obtain(Transport transport) throws TargetException {
        String what = "obtain an API token for " + username.orElse("?");
        FormBody form = new FormBody.Builder().add("username", username.orElse("")).add("password", password.map(Secret::reveal).orElse(""))
                .build();
        try (Response response = transport.send(new Request.Builder().url(authUrl).post(form).build())) {
            ResponseBody body = response.body();
            String text = body == null ? "" : body.string();
            if (response.code() >= 500) {
                throw new TargetException(what + ": Seafile failed with HTTP " + response.code(), true, null);
            }
            JsonNode token = parse(text).path("token");
            if (response.code() != 200 || !token.isTextual() || token.asText().isBlank()) {
                throw new TargetException(what + ": Seafile refused seafile.api.username/password (HTTP " + response.code()
                        + "); changes wait until it is fixed", true, null);
            }
            return token.asText();
        } catch (IOException e) {
            throw new TargetException(what + ": cannot reach Seafile at " + authUrl.newBuilder().encodedPath("/").build() + ": " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException(what + ": interrupted", true, e);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text.isBlank() ? "{}" : text);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }
}
