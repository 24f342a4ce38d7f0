package org.grouprelay.testing.mas;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OAuth 2.0 clients and the access tokens the client-credentials grant gives them
 * (crates/handlers/src/oauth2/token.rs, client_credentials_grant). Only a client listed in
 * {@code policy.data.admin_clients} may ask for {@code urn:mas:admin} (docs/topics/admin-api.md);
 * MAS's default access token lifetime is 300 s.
 */
final class MasClients {
    static final String ADMIN_SCOPE = "urn:mas:admin";
    /** A scope MAS's default policy grants any client through client_credentials (token.rs test_client_credentials). */
    static final String GRAPHQL_SCOPE = "urn:mas:graphql:*";
    static final Duration TOKEN_TTL = Duration.ofSeconds(300);

    record Client(String id, String secret, boolean admin) {
    }

    record Token(String value, String clientId, Set<String> scope, Instant expiresAt) {
    }

    /** Why a token was refused, with MAS's message (crates/handlers/src/admin/call_context.rs, Rejection). */
    enum Refusal {
        UNKNOWN("Unknown access token"),
        EXPIRED("Access token expired"),
        MISSING_SCOPE("Missing urn:mas:admin scope");

        final String title;

        Refusal(String title) {
            this.title = title;
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final Client adminClient;
    private final Client plainClient;

    MasClients(Clock clock, Ulids ids) {
        this.clock = clock;
        this.adminClient = register(new Client(ids.next(), randomHex(16), true));
        this.plainClient = register(new Client(ids.next(), randomHex(16), false));
    }

    Client adminClient() {
        return adminClient;
    }

    Client plainClient() {
        return plainClient;
    }

    Optional<Client> authenticate(String clientId, String secret) {
        return Optional.ofNullable(clients.get(clientId)).filter(client -> client.secret().equals(secret));
    }

    Token issue(Client client, Set<String> scope) {
        Token token = new Token("mat_" + randomHex(20), client.id(), Set.copyOf(scope), clock.instant().plus(TOKEN_TTL));
        tokens.put(token.value(), token);
        issued.incrementAndGet();
        return token;
    }

    /** Empty when the token may call the admin API, else the reason MAS gives. */
    Optional<Refusal> check(String value) {
        Token token = tokens.get(value);
        if (token == null) {
            return Optional.of(Refusal.UNKNOWN);
        }
        if (!clock.instant().isBefore(token.expiresAt())) {
            return Optional.of(Refusal.EXPIRED);
        }
        return token.scope().contains(ADMIN_SCOPE) ? Optional.empty() : Optional.of(Refusal.MISSING_SCOPE);
    }

    /** Every token issued so far expires now. */
    void expireAll() {
        Instant now = clock.instant();
        tokens.replaceAll((value, token) -> new Token(value, token.clientId(), token.scope(), now));
    }

    int issued() {
        return issued.get();
    }

    private Client register(Client client) {
        clients.put(client.id(), client);
        return client;
    }

    private String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }
}
