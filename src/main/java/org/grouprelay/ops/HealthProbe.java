package org.grouprelay.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The container's HEALTHCHECK: {@code java -cp grouprelay.jar org.grouprelay.ops.HealthProbe [URL]}
 * asks {@code /health} and exits 0 on 200, 1 otherwise, printing the reasons. JRE images have
 * neither curl nor wget, and a JVM that loads one class starts in a fraction of a second. The URL
 * defaults to {@code $GROUPRELAY_HEALTH_URL}, else {@code http://127.0.0.1:9464/health}.
 */
public final class HealthProbe {
    public static final String DEFAULT_URL = "http://127.0.0.1:9464/health";

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : System.getenv().getOrDefault("GROUPRELAY_HEALTH_URL", DEFAULT_URL);
        System.exit(probe(URI.create(url), Duration.ofSeconds(10), System.out));
    }

    /** 0 when {@code url} answers 200, else 1; what it answered (or why it did not) goes to {@code out}. */
    public static int probe(URI url, Duration timeout, PrintStream out) {
        try {
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
                out.println(url + ": " + status + (status == 200 ? "" : "\n" + text.strip()));
            }
            return status == 200 ? 0 : 1;
        } catch (IOException | IllegalArgumentException e) {
            out.println(url + ": " + e);
            return 1;
        }
    }
}
