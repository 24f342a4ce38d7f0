package org.grouprelay.testing.graph;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Answers planned for the next Graph operations (top-level requests and $batch steps, never token
 * requests nor the $batch envelope), in the order planned, without touching the directory.
 */
final class Faults {
    record Fault(int status, OptionalInt retryAfterSeconds) {
        /**
         * Throttled answers: 429 with Retry-After and {@code TooManyRequests} (docs "Microsoft Graph
         * throttling guidance"); other statuses use the code Graph gives them.
         */
        GraphAnswer answer() {
            GraphAnswer answer = switch (status) {
                case 429 -> GraphAnswer.error(429, "TooManyRequests", "Too many requests, retry after the delay given.");
                case 503 -> GraphAnswer.error(503, "ServiceNotAvailable", "The service is temporarily unavailable.");
                case 504 -> GraphAnswer.error(504, "GatewayTimeout", "The gateway timed out.");
                case 500 -> GraphAnswer.error(500, "InternalServerError", "An internal server error occurred.");
                default -> GraphAnswer.error(status, "UnknownError", "Injected failure " + status + ".");
            };
            return retryAfterSeconds.isPresent()
                    ? answer.withHeader("Retry-After", Integer.toString(retryAfterSeconds.getAsInt()))
                    : answer;
        }
    }

    private final Deque<Fault> planned = new ArrayDeque<>();

    synchronized void plan(int count, int status, OptionalInt retryAfterSeconds) {
        if (count < 0 || status < 400 || status > 599) {
            throw new IllegalArgumentException("count >= 0 and an error status expected: " + count + ", " + status);
        }
        for (int i = 0; i < count; i++) {
            planned.add(new Fault(status, retryAfterSeconds));
        }
    }

    synchronized Optional<Fault> take() {
        return Optional.ofNullable(planned.poll());
    }
}
