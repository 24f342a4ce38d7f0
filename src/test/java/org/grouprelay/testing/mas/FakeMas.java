package org.grouprelay.testing.mas;

import org.grouprelay.testing.LoopbackServer;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stateful fake of the Matrix Authentication Service (MAS) for tests, in process on 127.0.0.1:
 * its OAuth 2.0 token endpoint (client-credentials grant) and the user operations of its admin API,
 * every admin request checked against MAS's own OpenAPI document (src/test/resources/mas).
 * Rules come from element-hq/matrix-authentication-service; see the class comments for the file
 * each follows.
 *
 * <p>Deactivating a user asks MAS's homeserver to GDPR-erase it unless the JSON body says
 * {@code {"skip_erase": true}} (deactivate.rs). The fake treats every erasure as a failure of the
 * code under test: the account is gone for good (404 afterwards) and a violation is recorded.
 *
 * <pre>{@code
 * try (FakeMas mas = FakeMas.start()) {
 *     mas.addAccount("alice");
 *     // point the code under test at mas.url() with mas.clientId() / mas.clientSecret()
 *     ...
 *     assertThat(mas.account("alice").orElseThrow().deactivated()).isTrue();
 *     assertThat(mas.violations()).isEmpty();
 * }
 * }</pre>
 */
public final class FakeMas implements AutoCloseable {

    /** A user as the admin API shows it; {@code erased} accounts are gone from the API. */
    public record Account(String id, String username, boolean locked, boolean deactivated, boolean erased) {
        public boolean active() {
            return !locked && !deactivated;
        }
    }

    /** One request as received: the path, the decoded query ("" when none), the body, the status answered. */
    public record Recorded(String method, String path, String query, String body, int status) {
    }

    private final Clock clock = Clock.systemUTC();
    private final MasDirectory directory = new MasDirectory(clock);
    private final MasClients clients = new MasClients(clock, new Ulids(clock));
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final InjectedFailures failures = new InjectedFailures();
    private final MasHttpHandler handler;
    private final LoopbackServer http;

    private FakeMas() throws IOException {
        MasReplies replies = new MasReplies();
        UserEndpoints users = new UserEndpoints(directory, replies, clock, violations::add);
        this.handler = new MasHttpHandler(clients, OpenApiContract.load(), users, replies, failures, violations);
        this.http = LoopbackServer.start(handler::dispatch);
    }

    /** Starts a fake on a free port of 127.0.0.1. */
    public static FakeMas start() throws IOException {
        return new FakeMas();
    }

    /** For example {@code http://127.0.0.1:41234}, without a trailing slash (MAS's public base). */
    public String url() {
        return "http://127.0.0.1:" + http.port();
    }

    public int port() {
        return http.port();
    }

    /** A client listed in {@code policy.data.admin_clients}: may get {@code urn:mas:admin}. */
    public String clientId() {
        return clients.adminClient().id();
    }

    public String clientSecret() {
        return clients.adminClient().secret();
    }

    /**
     * A client not listed as an admin client: asking for {@code urn:mas:admin} is refused with 403
     * invalid_scope; a token it gets without that scope is answered 401 by the admin API.
     */
    public String nonAdminClientId() {
        return clients.plainClient().id();
    }

    public String nonAdminClientSecret() {
        return clients.plainClient().secret();
    }

    /** An active account, as MAS creates at the first SSO login. */
    public Account addAccount(String username) {
        return directory.add(username).view();
    }

    /** The account's current state; empty if it never existed or was erased. */
    public Optional<Account> account(String username) {
        return directory.byUsername(username).map(MasUser::view);
    }

    /** Every account ever added, erased ones included (marked), in creation order. */
    public List<Account> accounts() {
        return directory.all().stream().map(MasUser::view).toList();
    }

    /** Locks the account as an administrator would in MAS. */
    public void lockByHand(String username) {
        byHand(username, user -> user.lock(clock.instant()));
    }

    /** Deactivates the account (without erasure) as an administrator would in MAS. */
    public void deactivateByHand(String username) {
        byHand(username, user -> user.deactivate(clock.instant()));
    }

    /** Every request received (token requests included), in the order answered. */
    public List<Recorded> requests() {
        return handler.recorded();
    }

    public void clearRequests() {
        handler.clearRecorded();
    }

    /** The contract rules requests broke: OpenAPI validation failures, erasures, bodies MAS would ignore. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** The next {@code count} requests but those to /oauth2/token answer {@code status}, touching nothing. */
    public void failNext(int count, int status) {
        failures.failNext(count, status);
    }

    /** Every token issued so far expires: the admin API answers 401 "Access token expired" to them. */
    public void expireTokens() {
        clients.expireAll();
    }

    public int tokensIssued() {
        return clients.issued();
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

    private void byHand(String username, java.util.function.UnaryOperator<MasUser> change) {
        MasUser user = directory.byUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("no account " + username));
        directory.update(user.id(), change);
    }


}
