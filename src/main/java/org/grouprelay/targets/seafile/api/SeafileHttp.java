package org.grouprelay.targets.seafile.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.grouprelay.targets.TargetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place every admin API request goes through: rate limit, {@code Authorization: Token},
 * 429 with {@code Retry-After} (waited out when it fits in the timeout), and the classification of
 * failures: 5xx, I/O errors, timeouts, answers that are not JSON and a refused token are transient
 * (nothing is dropped while Seafile or its credentials are being fixed); other 4xx are returned to
 * the caller, who turns them into permanent failures carrying Seafile's own message. The token never
 * appears in a log line or a message.
 */
final class SeafileHttp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SeafileHttp.class);
    private static final int MAX_THROTTLED_RETRIES = 3;

    /** A JSON answer with a status below 500 other than 401 and 429. */
    record Reply(int code, JsonNode body) {
        boolean ok() {
            return code >= 200 && code < 300;
        }

        /** Seafile's {@code error_msg} (or DRF's {@code detail}). */
        String error() {
            JsonNode message = body.has("error_msg") ? body.get("error_msg") : body.path("detail");
            return message.isMissingNode() ? body.toString() : message.asText();
        }

        String errorSuffix() {
            return body.isEmpty() ? "" : " \"" + error() + "\"";
        }

        /** This reply, or a permanent failure with Seafile's message. */
        Reply orFail(String what) throws TargetException {
            if (!ok()) {
                throw new TargetException(what + ": Seafile answered HTTP " + code + " \"" + error() + "\"", false, null);
            }
            return this;
        }
    }

    private final OkHttpClient client;
    private final HttpUrl base;
    private final RateLimiter limiter;
    private final Tokens tokens;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong requests = new AtomicLong();

    SeafileHttp(OkHttpClient client, HttpUrl base, RateLimiter limiter, Tokens tokens, Duration timeout) {
        this.client = client;
        this.base = base;
        this.limiter = limiter;
        this.tokens = tokens;
        this.timeout = timeout;
    }

    /** {@code <url>/api/v2.1/admin/<segments>/}. */
    HttpUrl.Builder admin(String... segments) {
        HttpUrl.Builder url = base.newBuilder().addPathSegments("api/v2.1/admin");
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url.addPathSegment("");
    }

    Reply get(String what, HttpUrl url) throws TargetException {
        return execute(what, new Request.Builder().url(url).get());
    }

    Reply post(String what, HttpUrl url, FormBody form) throws TargetException {
        return execute(what, new Request.Builder().url(url).post(form));
    }

    Reply put(String what, HttpUrl url, FormBody form) throws TargetException {
        return execute(what, new Request.Builder().url(url).put(form));
    }

    Reply delete(String what, HttpUrl url) throws TargetException {
        return execute(what, new Request.Builder().url(url).delete());
    }

    /** Requests sent so far (each retry counts). */
    long requests() {
        return requests.get();
    }

    private Reply execute(String what, Request.Builder request) throws TargetException {
        boolean tokenRenewed = false;
        for (int throttled = 0; ; ) {
            String token = tokens.token(this::raw);
            Request sent = request.header("Authorization", "Token " + token).build();
            long started = System.nanoTime();
            try (Response response = raw(sent)) {
                int code = response.code();
                log.debug("{} {} -> HTTP {} in {} ms", sent.method(), sent.url().encodedPath(), code, (System.nanoTime() - started) / 1_000_000);
                if (code == 429) {
                    Duration wait = retryAfter(response.header("Retry-After"));
                    limiter.pause(wait);
                    if (++throttled <= MAX_THROTTLED_RETRIES && wait.compareTo(timeout) <= 0) {
                        log.debug("{}: throttled by Seafile, waiting {} ms", what, wait.toMillis());
                        continue;
                    }
                    throw new TargetException(what + ": Seafile throttles grouprelay (HTTP 429, retry after " + wait.toSeconds()
                            + " s); lower seafile.api.maxRequestsPerSecond", true, null);
                }
                if (code == 401 && !tokenRenewed && tokens.renewable()) {
                    tokens.forget(token);
                    tokenRenewed = true;
                    continue;
                }
                String body = body(response);
                if (code == 401) {
                    throw new TargetException(what + ": Seafile refused grouprelay's API credentials (HTTP 401); check seafile.api.token"
                            + " (or username/password); changes wait until it is fixed", true, null);
                }
                JsonNode parsed = parse(what, code, response.header("Content-Type"), body);
                if (code >= 500) {
                    throw new TargetException(what + ": Seafile failed with HTTP " + code + new Reply(code, parsed).errorSuffix(), true, null);
                }
                return new Reply(code, parsed);
            } catch (InterruptedIOException e) {
                throw new TargetException(what + ": no answer from Seafile within " + timeout.toSeconds() + " s (seafile.api.timeoutSeconds)", true, e);
            } catch (IOException e) {
                throw new TargetException(what + ": cannot reach Seafile at " + base + ": " + e.getMessage(), true, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TargetException(what + ": interrupted", true, e);
            }
        }
    }

    /** Sends one request after the rate limiter allowed it; the caller closes the response. */
    Response raw(Request request) throws IOException, InterruptedException {
        limiter.acquire();
        requests.incrementAndGet();
        return client.newCall(request).execute();
    }

    HttpUrl base() {
        return base;
    }

    ObjectMapper json() {
        return json;
    }

    private JsonNode parse(String what, int code, String contentType, String body) throws TargetException {
        if (body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            String start = body.strip().replaceAll("\\s+", " ");
            throw new TargetException(what + ": Seafile's answer (HTTP " + code + ", " + (contentType == null ? "no content type" : contentType)
                    + ") is not JSON: " + (start.length() > 80 ? start.substring(0, 80) + "…" : start), true, null);
        }
    }

    private static String body(Response response) throws IOException {
        ResponseBody body = response.body();
        return body == null ? "" : body.string();
    }

    /** Seconds or an HTTP date; 1 s when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Duration.ofSeconds(1);
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return Duration.ofSeconds(1);
            }
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
