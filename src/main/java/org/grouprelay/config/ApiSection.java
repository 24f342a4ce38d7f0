package org.grouprelay.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;

/** Reads and checks {@code seafile.api}: the admin API's URL, credentials, timeout, rate and trusted CAs. */
final class ApiSection {
    private final YamlNode node;

    ApiSection(YamlNode node) {
        this.node = node;
    }

    SeafileConfig.Api read() {
        node.allow("url", "token", "username", "password", "timeoutSeconds", "maxRequestsPerSecond", "caFile");
        String url = url();
        Optional<Secret> token = node.optionalString("token").map(Secret::new);
        Optional<String> username = node.optionalString("username");
        Optional<Secret> password = node.optionalString("password").map(Secret::new);
        if (token.isPresent() && (username.isPresent() || password.isPresent())) {
            throw new ConfigException(node.key(username.isPresent() ? "username" : "password")
                    + ": give either token or username and password, not both; remove one");
        }
        if (password.isPresent() && username.isEmpty()) {
            throw new ConfigException(node.key("username") + ": missing; password needs the admin's username (login id or e-mail)");
        }
        if (token.isEmpty() && username.isEmpty()) {
            throw new ConfigException(node.key("token") + ": missing; give an admin API token (e.g. token: ${SEAFILE_ADMIN_TOKEN})"
                    + " or username and password of a Seafile admin");
        }
        if (username.isPresent() && password.isEmpty()) {
            throw new ConfigException(node.key("password") + ": missing; username needs the admin's password (e.g. password: ${SEAFILE_ADMIN_PASSWORD})");
        }
        int timeout = positive("timeoutSeconds", 10, "seconds");
        int rate = positive("maxRequestsPerSecond", 20, "requests per second");
        return new SeafileConfig.Api(url, token, username, password, Duration.ofSeconds(timeout), rate, caFile());
    }

    private String url() {
        String raw = node.string("url");
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return raw.replaceAll("/+$", "");
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(node.key("url") + ": '" + raw + "' is not an http(s) URL; write Seafile's address like https://seafile.example.org");
    }

    private int positive(String key, int defaultValue, String unit) {
        Optional<String> raw = node.optionalString(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(raw.get());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(node.key(key) + ": '" + raw.get() + "' is not a positive whole number of " + unit);
    }

    /** PEM certificates; checked now, so a wrong file fails at start and not at the first request. */
    private Optional<Path> caFile() {
        if (node.optionalString("caFile").isEmpty()) {
            return Optional.empty();
        }
        Path file = node.readableFile("caFile");
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new CertificateException("no certificate");
            }
        } catch (IOException | CertificateException e) {
            throw new ConfigException(node.key("caFile") + ": " + file.toAbsolutePath()
                    + " holds no PEM certificate; give the CA (or Seafile's self-signed) certificate in PEM form");
        }
        return Optional.of(file);
    }
}
