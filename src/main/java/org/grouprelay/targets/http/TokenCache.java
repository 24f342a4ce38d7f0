package org.grouprelay.targets.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.grouprelay.targets.TargetException;

/**
 * An OAuth access token (client-credentials grant), kept until {@code margin} before it expires, fetched again when it
 * is about to or when the API said it is no longer good ({@link #forget()}, on a 401).
 */
public final class TokenCache {
    /** Fetches a new token. */
    public interface Grant {
        /** The token and its {@code expires_in}. */
        Issued fetch() throws TargetException;
    }

    /** A token as the token endpoint issued it. */
    public record Issued(String value, Duration expiresIn) {
    }

    private record Token(String value, Instant renewAt) {
    }

    private final Grant grant;
    private final Duration margin;
    private final Clock clock;
    private Token token;

    public TokenCache(Grant grant, Duration margin, Clock clock) {
        this.grant = grant;
        this.margin = margin;
        this.clock = clock;
    }

    /** The cached token, or a new one. */
    public synchronized String get() throws TargetException {
        if (token != null && clock.instant().isBefore(token.renewAt())) {
            return token.value();
        }
        Issued issued = grant.fetch();
        Duration keep = issued.expiresIn().minus(margin);
        token = new Token(issued.value(), clock.instant().plus(keep.isNegative() ? Duration.ZERO : keep));
        return token.value();
    }

    /** The API refused the token: the next {@link #get()} fetches a new one. */
    public synchronized void forget() {
        token = null;
    }
}
