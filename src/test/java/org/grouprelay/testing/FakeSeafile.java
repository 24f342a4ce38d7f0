package org.grouprelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * An in-process Seafile admin API v2.1 (MockWebServer with a dispatcher) that keeps its own
 * {@link SeafileState} and enforces the contract of reference/seafile.md §3: token auth (401),
 * form-encoded member adds (a JSON body gives 400 "Email invalid."), name rule and uniqueness,
 * owner removal 403, 404 for missing groups, pagination, and DRF throttling (429 with Retry-After)
 * above a configurable rate. Faults can be injected: HTTP errors, throttling, slow answers, bodies
 * that are not JSON.
 */
public final class FakeSeafile implements AutoCloseable {
    public static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";
    public static final String ADMIN = "admin@example.org";
    public static final String ADMIN_PASSWORD = "admin-password";

    /** One request as the fake saw it. */
    public record Call(String method, String path, String contentType, String body, long atNanos, int status) {
    }

    private final MockWebServer server = new MockWebServer();
    private final SeafileState state = new SeafileState();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private static final MockResponse PASS = new MockResponse();
    private final Deque<MockResponse> faults = new ArrayDeque<>();
    private final Deque<Long> window = new ArrayDeque<>();
    private volatile int maxPerSecond;
    private volatile long delayMillis;

    private FakeSeafile() {
        server.setServerSocketFactory(new NoDelayServerSockets());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                MockResponse response = handle(request);
                long delay = delayMillis;
                return delay > 0 ? response.setHeadersDelay(delay, TimeUnit.MILLISECONDS) : response;
            }
        });
    }

    public static FakeSeafile start() throws IOException {
        FakeSeafile fake = new FakeSeafile();
        fake.state.addUser(ADMIN, null);
        fake.server.start();
        return fake;
    }

    /** Serves HTTPS with the given server socket factory (a self-signed certificate in tests). */
    public static FakeSeafile startTls(SSLSocketFactory serverSockets) throws IOException {
        FakeSeafile fake = new FakeSeafile();
        fake.state.addUser(ADMIN, null);
        fake.server.useHttps(serverSockets, false);
        fake.server.start();
        return fake;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    public SeafileState state() {
        return state;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public int requestCount() {
        return calls.size();
    }

    /** Requests above {@code perSecond} within any second get 429 with Retry-After (0 = no limit). */
    public void throttleAbove(int perSecond) {
        maxPerSecond = perSecond;
    }

    /** Every answer waits this long before its headers. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /** The next {@code count} requests are answered with {@code status} and an error body instead. */
    public synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            faults.add(new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                    .setBody("{\"error_msg\":\"Internal Server Error\"}"));
        }
    }

    /** The next {@code pass} requests are answered normally, the {@code fail} after them with {@code status}. */
    public synchronized void passThenFail(int pass, int fail, int status) {
        for (int i = 0; i < pass; i++) {
            faults.add(PASS);
        }
        failNext(fail, status);
    }

    public synchronized void throttleNext(int count, int retryAfterSeconds) {
        for (int i = 0; i < count; i++) {
            faults.add(new MockResponse().setResponseCode(429).setHeader("Retry-After", String.valueOf(retryAfterSeconds))
                    .setHeader("Content-Type", "application/json")
                    .setBody("{\"detail\":\"Request was throttled. Expected available in " + retryAfterSeconds + " seconds.\"}"));
        }
    }

    /** The next {@code count} requests get 200 with a body that is not JSON (a proxy's page, a cut-off answer). */
    public synchronized void garbleNext(int count) {
        for (int i = 0; i < count; i++) {
            faults.add(new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/html").setBody("<html><body>Bad gateway</body>"));
        }
    }

    /** Forgets faults, delays, limits and recorded calls; keeps the state. */
    public synchronized void calm() {
        faults.clear();
        maxPerSecond = 0;
        delayMillis = 0;
        calls.clear();
    }

    private MockResponse handle(RecordedRequest request) {
        HttpUrl url = request.getRequestUrl();
        String body = request.getBody().readUtf8();
        long at = System.nanoTime();
        MockResponse response = answer(request, url, body);
        calls.add(new Call(request.getMethod(), url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery()),
                request.getHeader("Content-Type"), body, at, Integer.parseInt(response.getStatus().split(" ")[1])));
        return response;
    }

    private MockResponse answer(RecordedRequest request, HttpUrl url, String body) {
        synchronized (this) {
            MockResponse fault = faults.poll();
            if (fault != null && fault != PASS) {
                return fault;
            }
            if (maxPerSecond > 0) {
                long now = System.nanoTime();
                while (!window.isEmpty() && now - window.peekFirst() > 1_000_000_000L) {
                    window.pollFirst();
                }
                if (window.size() >= maxPerSecond) {
                    return error(429, "detail", "Request was throttled. Expected available in 1 second.").setHeader("Retry-After", "1");
                }
                window.addLast(now);
            }
        }
        try {
            if (url.encodedPath().equals("/api2/auth-token/") && request.getMethod().equals("POST")) {
                return authToken(request, body);
            }
            if (!authorized(request.getHeader("Authorization"))) {
                return error(401, "detail", "Invalid token");
            }
            return new FakeSeafileRoutes(state, json).route(request.getMethod(), url, request.getHeader("Content-Type"), body);
        } catch (SeafileState.Refused e) {
            return error(e.status, "error_msg", e.getMessage());
        } catch (RuntimeException e) {
            return error(500, "error_msg", "Internal Server Error");
        }
    }

    private MockResponse authToken(RecordedRequest request, String body) {
        Map<String, List<String>> form = form(body);
        String user = first(form, "username");
        if (ADMIN.equals(user) && ADMIN_PASSWORD.equals(first(form, "password"))) {
            return ok(json.createObjectNode().put("token", TOKEN));
        }
        ObjectNode error = json.createObjectNode();
        error.putArray("non_field_errors").add("Unable to login with provided credentials.");
        return new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json").setBody(error.toString());
    }

    private static boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String[] parts = header.strip().split("\\s+", 2);
        String prefix = parts[0].toLowerCase(Locale.ROOT);
        return parts.length == 2 && (prefix.equals("token") || prefix.equals("bearer")) && parts[1].equals(TOKEN);
    }

    static Map<String, List<String>> form(String body) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    static String first(Map<String, List<String>> form, String key) {
        List<String> values = form.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static MockResponse ok(JsonNode body) {
        return status(200, body);
    }

    static MockResponse status(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body.toString());
    }

    static MockResponse error(int code, String field, String message) {
        return status(code, new ObjectMapper().createObjectNode().put(field, message));
    }

    static ArrayNode array(ObjectMapper json) {
        return json.createArrayNode();
    }

    /** Accepted sockets with TCP_NODELAY, as a production HTTP server has: no 40 ms wait on a delayed ACK per answer. */
    private static final class NoDelayServerSockets extends javax.net.ServerSocketFactory {
        @Override
        public java.net.ServerSocket createServerSocket() throws IOException {
            return new java.net.ServerSocket() {
                @Override
                public java.net.Socket accept() throws IOException {
                    java.net.Socket socket = super.accept();
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog, java.net.InetAddress address) throws IOException {
            throw new UnsupportedOperationException();
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            // the test is over either way
        }
    }
}
