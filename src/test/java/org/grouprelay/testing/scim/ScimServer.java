package org.grouprelay.testing.scim;

import org.grouprelay.testing.LoopbackServer;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A real SCIM 2.0 server (RFC 7643/7644) for tests, in process: the Captain-Goldfish SCIM SDK
 * parses requests, applies PATCH operations, filters and pages; this class serves it on 127.0.0.1
 * through OkHttp's MockWebServer (sockets with TCP_NODELAY) with an in-memory {@link ScimStore}.
 * A {@link ScimProfile} picks the behaviour of a kind of application (strict RFC server, no PATCH,
 * AWS IAM Identity Center).
 *
 * <pre>{@code
 * try (ScimServer scim = ScimServer.start(ScimProfile.STRICT)) {
 *     // point the code under test at scim.baseUrl() with "Authorization: Bearer " + scim.token()
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
    private final BearerToken token;
    private final ScimStore store = new ScimStore();
    private final InjectedFaults faults = new InjectedFaults();
    private final ScimHttpHandler handler;
    private final LoopbackServer http;

    private ScimServer(ScimProfile profile) throws IOException {
        this.profile = profile;
        this.token = new BearerToken(randomToken());
        this.handler = new ScimHttpHandler(profile, token, ScimEndpoints.create(profile, store), faults);
        this.http = LoopbackServer.start(handler::dispatch);
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
        return "http://127.0.0.1:" + http.port() + ScimHttpHandler.BASE_PATH;
    }

    public int port() {
        return http.port();
    }

    /** The bearer token every request but GET /ServiceProviderConfig must carry. */
    public String token() {
        return token.value();
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

    /** An application's own group, made in its UI (not through SCIM): {@code displayName} with no members. */
    public ScimGroup createGroupByHand(String displayName) {
        return store.createGroup(new ScimGroup(null, displayName, null, Set.of())).value();
    }

    /** A member removed in the application's UI. */
    public void removeMemberByHand(String groupId, String userId) {
        ScimGroup group = store.group(groupId).orElseThrow().value();
        Set<String> members = new java.util.LinkedHashSet<>(group.memberIds());
        members.remove(userId);
        store.replaceGroup(groupId, new ScimGroup(groupId, group.displayName(), group.externalId(), members));
    }

    /** A user deleted in the application's UI (and so from its groups). */
    public void deleteUserByHand(String userId) {
        store.deleteUser(userId);
    }

    /** A group deleted in the application's UI. */
    public void deleteGroupByHand(String groupId) {
        store.deleteGroup(groupId);
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

    /** Stops listening (connections are refused) and keeps the state; see {@link #restart()}. */
    public void stop() {
        http.stop();
    }

    /** Listens again on the same port, with the same state. */
    public void restart() throws IOException {
        http.restart();
    }

    public boolean running() {
        return http.running();
    }

    @Override
    public void close() {
        stop();
    }



    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
