package org.grouprelay.config;

import java.time.Duration;

/**
 * The {@code ops} section: the HTTP endpoint for {@code /health} and {@code /metrics} (off by default,
 * loopback by default when on) and how long {@code serve} drains the outbox when it is stopped.
 *
 * @param drain the bound on waiting for queued changes to reach Seafile on SIGTERM ({@code ops.drainSeconds})
 */
public record OpsConfig(Http http, Duration drain) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9464;
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

    public static OpsConfig defaults() {
        return new OpsConfig(Http.defaults(), DEFAULT_DRAIN);
    }

    /** {@code ops.http}: where the endpoint listens, when {@code enabled}. */
    public record Http(boolean enabled, String host, int port) {
        public static Http defaults() {
            return new Http(false, DEFAULT_HOST, DEFAULT_PORT);
        }

        /** The base URL a local client uses (the wildcard address is reached via loopback). */
        public String localUrl() {
            String reach = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
            return "http://" + (reach.contains(":") ? "[" + reach + "]" : reach) + ":" + port;
        }
    }
}
