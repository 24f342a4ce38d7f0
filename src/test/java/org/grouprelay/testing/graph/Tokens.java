package org.grouprelay.testing.graph;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The access tokens the fake's token endpoint issued, each with its expiry. */
final class Tokens {
    /** Entra ID answers client-credential requests with {@code "expires_in": 3599}. */
    static final Duration LIFETIME = Duration.ofSeconds(3599);

    enum Check { VALID, MISSING, UNKNOWN, EXPIRED }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new HashMap<>();
    private int issued;

    synchronized String issue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = "fake." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        expiries.put(token, Instant.now().plus(LIFETIME));
        issued++;
        return token;
    }

    synchronized int issued() {
        return issued;
    }

    /** Every token issued so far is refused from now on (as if its lifetime had passed). */
    synchronized void expireAll() {
        Instant past = Instant.now().minusSeconds(1);
        expiries.replaceAll((token, expiry) -> past);
    }

    /** Checks an {@code Authorization} header value: {@code Bearer <token>}. */
    synchronized Check check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Check.MISSING;
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            return Check.MISSING;
        }
        Instant expiry = expiries.get(parts[1]);
        if (expiry == null) {
            return Check.UNKNOWN;
        }
        return expiry.isAfter(Instant.now()) ? Check.VALID : Check.EXPIRED;
    }
}
