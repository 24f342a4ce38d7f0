package org.grouprelay.testing.graph;

import org.grouprelay.testing.LoopbackServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * A stateful, in-process stand-in for Microsoft Graph v1.0 (users, groups, members, invitations,
 * $batch) and the Entra ID token endpoint of one tenant, on one MockWebServer on 127.0.0.1 (sockets
 * with TCP_NODELAY). Use {@link #url()} as both the authority URL and the Graph URL; the token
 * endpoint is {@code url()/{tenantId}/oauth2/v2.0/token}, Graph is {@code url()/v1.0/...}.
 *
 * <p>It answers as Graph documents (Microsoft Graph v1.0 docs: "List users", "Use the $filter query
 * parameter", "Get group", "Update group", "Add members", "Remove member", "List group members",
 * "Create invitation", "Update user", "Combine multiple requests in one HTTP call using JSON
 * batching", "Microsoft Graph throttling guidance"; microsoft-graph-docs issues #8637 and #11514)
 * and records in {@link #violations()} every request that breaks a documented rule.
 *
 * <pre>{@code
 * try (FakeGraph graph = FakeGraph.start()) {
 *     User alice = graph.addUser("Alice", "alice@example.org");
 *     Group staff = graph.addGroup("staff");
 *     // point the code under test at graph.url() with graph.tenantId(), clientId(), clientSecret()
 *     ...
 *     assertThat(graph.members(staff.id())).containsExactly(alice.id());
 *     assertThat(graph.violations()).isEmpty();
 * }
 * }</pre>
 */
public final class FakeGraph implements AutoCloseable {

    public record User(String id, String displayName, String mail, List<String> otherMails, String userPrincipalName,
            String userType) {
        public User {
            otherMails = otherMails == null ? List.of() : List.copyOf(otherMails);
        }
    }

    public record Group(String id, String displayName) {
    }

    /** An invitation as received; {@code userId} is the invited (guest) user's id. */
    public record Invitation(String email, String redirectUrl, boolean sendInvitationMessage, String userId) {
    }

    /** One request: the path from the server root (decoded), the decoded query, the body, the status answered. */
    public record Recorded(String method, String path, String query, String body, int status) {
    }

    private final String tenantId = UUID.randomUUID().toString();
    private final String clientId = UUID.randomUUID().toString();
    private final String clientSecret = randomSecret();
    private final Directory directory = new Directory("grouprelaytest.onmicrosoft.com");
    private final Journal journal = new Journal();
    private final Tokens tokens = new Tokens();
    private final Faults faults = new Faults();
    private GraphHttpHandler handler; // set once, right after the listener (it needs the port)
    private final LoopbackServer http;

    private FakeGraph() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        this.http = LoopbackServer.start(request -> handler.dispatch(request));
        Paging paging = new Paging(this::url);
        GraphRoutes routes = new GraphRoutes(mapper, journal, new UserRoutes(directory, paging, journal),
                new GroupRoutes(directory, paging, journal, new BindUrls(url())));
        this.handler = new GraphHttpHandler(mapper, journal, tokens,
                new TokenEndpoint(tenantId, clientId, clientSecret, tokens), faults, routes);
    }

    /** Starts on a free port of 127.0.0.1, with an empty tenant. */
    public static FakeGraph start() throws IOException {
        return new FakeGraph();
    }

    /** For example {@code http://127.0.0.1:41234}, without a trailing slash: the authority and Graph URL. */
    public String url() {
        return "http://127.0.0.1:" + http.port();
    }

    public int port() {
        return http.port();
    }

    public String tenantId() {
        return tenantId;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    /** The domain of guest user principal names ({@code x_example.org#EXT#@<domain>}). */
    public String tenantDomain() {
        return directory.tenantDomain();
    }

    /** A member user (userType Member) whose user principal name is its mail. */
    public User addUser(String displayName, String mail) {
        return addUser(displayName, mail, List.of(), mail);
    }

    public User addUser(String displayName, String mail, List<String> otherMails, String userPrincipalName) {
        return directory.addUser(displayName, mail, otherMails, userPrincipalName, "Member");
    }

    /** A guest user, as an earlier invitation would have left it. */
    public User addGuest(String displayName, String mail) {
        return directory.addUser(displayName, mail, List.of(),
                mail.replace('@', '_') + "#EXT#@" + tenantDomain(), "Guest");
    }

    /** An existing Entra group with no members. */
    public Group addGroup(String displayName) {
        return directory.addGroup(displayName, 0);
    }

    /**
     * A group created just now: its next {@code replicationMisses} member additions answer 400 "The
     * source resource object or one of the objects being referenced do not exist." (docs "Add members",
     * note on replication delays).
     */
    public Group addNewGroup(String displayName, int replicationMisses) {
        return directory.addGroup(displayName, replicationMisses);
    }

    public Optional<Group> group(String groupId) {
        return directory.group(groupId);
    }

    public List<Group> groups() {
        return directory.groups();
    }

    /** The user ids of a group's members, in the order they were added. */
    public Set<String> members(String groupId) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(directory.members(groupId)));
    }

    /** A member added in the Entra admin center (not through the code under test). */
    public void addMemberByHand(String groupId, String userId) {
        if (directory.user(userId).isEmpty()) {
            throw new IllegalArgumentException("no user " + userId);
        }
        directory.addMembers(groupId, List.of(userId));
    }

    public void removeMemberByHand(String groupId, String userId) {
        directory.removeMember(groupId, userId);
    }

    /** The user whose mail is {@code mail}, ignoring case. */
    public Optional<User> userByMail(String mail) {
        return directory.userByMail(mail);
    }

    public Optional<User> user(String userId) {
        return directory.user(userId);
    }

    public List<User> users() {
        return directory.users();
    }

    public List<Invitation> invitations() {
        return directory.invitations();
    }

    /**
     * The next {@code count} Graph operations (top-level requests and $batch steps; not token requests,
     * not the $batch envelope) answer 429 TooManyRequests with {@code Retry-After: retryAfterSeconds}.
     */
    public void throttleNext(int count, int retryAfterSeconds) {
        faults.plan(count, 429, OptionalInt.of(retryAfterSeconds));
    }

    /** The next {@code count} Graph operations (counted as in {@link #throttleNext}) answer {@code status}. */
    public void failNext(int count, int status) {
        faults.plan(count, status, OptionalInt.empty());
    }

    /** Every HTTP request received (token requests too), in the order answered. */
    public List<Recorded> requests() {
        return journal.requests();
    }

    /** Every $batch step executed, in order, with its path from the server root ({@code /v1.0/...}). */
    public List<Recorded> batchSteps() {
        return journal.batchSteps();
    }

    public void clearRequests() {
        journal.clearRequests();
    }

    /** The documented rules requests broke, each with the request. */
    public List<String> violations() {
        return journal.violations();
    }

    public int tokensIssued() {
        return tokens.issued();
    }

    /** Every token issued so far is refused from now on with 401 (not counted as a violation). */
    public void expireTokens() {
        tokens.expireAll();
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



    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
