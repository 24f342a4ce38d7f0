package org.grouprelay.testing.scim;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real SCIM 2.0 server (RFC 7643/7644) for tests, in process: the Captain-Goldfish SCIM SDK
 * parses requests, applies PATCH operations, filters and pages, and this class serves it over the
 * JDK's HTTP server on 127.0.0.1 with an in-memory {@link ScimStore}. A {@link ScimProfile} picks
 * the behaviour of a kind of application (strict RFC server, no PATCH, AWS IAM Identity Center).
 *
 * <pre>{@code
 * try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
 *     target = new ScimTarget(scim.baseUrl(), scim.token());
 *     ...
 *     assertThat(scim.groupByDisplayName("staff").orElseThrow().memberIds()).hasSize(2);
 *     assertThat(scim.violations()).isEmpty();
 * }
 * }</pre>
 */
public final class ScimServer implements AutoCloseable {

    public record ScimUser(String id, String userName, String externalId, boolean active, String displayName,
            List<String> emails) {
        public ScimUser {
            emails = emails == null ? List.of() : List.copyOf(emails);
        }
    }

    public record ScimGroup(String id, String displayName, String externalId, Set<String> memberIds) {
        public ScimGroup {
            memberIds = memberIds == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(memberIds));
        }
    }

    /** One request as received: the path after {@link #baseUrl()}, the decoded query, the status answered. */
    public record Recorded(String method, String path, String query, String body, int status) {
    }

    private final ScimProfile profile;
    private final String token;
    private final ScimStore store = new ScimStore();
    private final InjectedFaults faults = new InjectedFaults();
    private final ScimHttpHandler handler;
    private final int port;
    private HttpServer http;
    private ExecutorService executor;

    private ScimServer(ScimProfile profile) throws IOException {
        this.profile = profile;
        this.token = randomToken();
        this.handler = new ScimHttpHandler(profile, token, ScimEndpoints.create(profile, store), faults);
        listen(0);
        this.port = http.getAddress().getPort();
        handler.baseUrl(baseUrl());
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static ScimServer start(ScimProfile profile) throws IOException {
        return new ScimServer(profile);
    }

    public ScimProfile profile() {
        return profile;
    }

    /** For example {@code http://127.0.0.1:41234/scim/v2}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + ScimHttpHandler.BASE_PATH;
    }

    public int port() {
        return port;
    }

    /** The bearer token every request but GET /ServiceProviderConfig must carry. */
    public String token() {
        return token;
    }

    public List<ScimUser> users() {
        return store.userSnapshot();
    }

    public List<ScimGroup> groups() {
        return store.groupSnapshot();
    }

    public Optional<ScimUser> userByUserName(String userName) {
        return users().stream().filter(user -> user.userName().equalsIgnoreCase(userName)).findFirst();
    }

    public Optional<ScimGroup> groupByDisplayName(String name) {
        return groups().stream().filter(group -> group.displayName().equalsIgnoreCase(name)).findFirst();
    }

    /** Every request received, in the order answered. */
    public List<Recorded> requests() {
        return handler.recorded();
    }

    public void clearRequests() {
        handler.clearRecorded();
    }

    /**
     * The next {@code count} requests (but those to /ServiceProviderConfig) answer {@code status} with
     * a SCIM error body, and a Retry-After header when given, without touching the store.
     */
    public void failNext(int count, int status, OptionalInt retryAfterSeconds) {
        faults.failNext(count, status, retryAfterSeconds);
    }

    /** The request-shape rules the profile saw broken, each with the request and the rule. */
    public List<String> violations() {
        return handler.violations();
    }

    /** Stops listening (connections are refused) and keeps the store; see {@link #restart()}. */
    public synchronized void stop() {
        if (http != null) {
            http.stop(0);
            executor.shutdownNow();
            awaitTermination(executor);
            http = null;
        }
    }

    /** Listens again on the same port, with the same store. */
    public synchronized void restart() throws IOException {
        if (http == null) {
            listen(port);
        }
    }

    public boolean running() {
        synchronized (this) {
            return http != null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void listen(int onPort) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 50);
        server.createContext(ScimHttpHandler.BASE_PATH, handler);
        executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "scim-server-" + profile.name().toLowerCase(Locale.ROOT));
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        http = server;
    }

    private static void awaitTermination(ExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
