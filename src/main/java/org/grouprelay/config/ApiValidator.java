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

/** Checks {@code seafile.api}: the admin API's URL, credentials, timeout, rate and trusted CAs (the HTTP checks serve SCIM too). */
final class ApiValidator {
    private final Section section;

    ApiValidator(Section section) {
        this.section = section;
    }

    SeafileConfig.Api validate(ConfigFile.Api raw) {
        String url = url("url", raw.url(), "write Seafile's address like https://seafile.example.org");
        Optional<Secret> token = section.optional("token", raw.token()).map(Secret::new);
        Optional<String> username = section.optional("username", raw.username());
        Optional<Secret> password = section.optional("password", raw.password()).map(Secret::new);
        if (token.isPresent() && (username.isPresent() || password.isPresent())) {
            throw section.error(username.isPresent() ? "username" : "password",
                    "give either token or username and password, not both; remove one");
        }
        if (password.isPresent() && username.isEmpty()) {
            throw section.error("username", "missing; password needs the admin's username (login id or e-mail)");
        }
        if (token.isEmpty() && username.isEmpty()) {
            throw section.error("token", "missing; give an admin API token (e.g. token: ${SEAFILE_ADMIN_TOKEN})"
                    + " or username and password of a Seafile admin");
        }
        if (username.isPresent() && password.isEmpty()) {
            throw section.error("password", "missing; username needs the admin's password (e.g. password: ${SEAFILE_ADMIN_PASSWORD})");
        }
        int timeout = positive("timeoutSeconds", raw.timeoutSeconds(), 10, "seconds");
        int rate = positive("maxRequestsPerSecond", raw.maxRequestsPerSecond(), 20, "requests per second");
        return new SeafileConfig.Api(url, token, username, password, Duration.ofSeconds(timeout), rate, caFile(raw.caFile()));
    }

    /** An http(s) URL without query or fragment, trailing slashes removed; {@code fix} ends the error. */
    String url(String key, String raw, String fix) {
        String value = section.string(key, raw);
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return value.replaceAll("/+$", "");
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw section.error(key, "'" + value + "' is not an http(s) URL; " + fix);
    }

    int positive(String key, String raw, int defaultValue, String unit) {
        return section.optional(key, raw)
                .map(v -> section.number(key, v, 1, Integer.MAX_VALUE, "is not a positive whole number of " + unit))
                .orElse(defaultValue);
    }

    /** PEM certificates; checked now, so a wrong file fails at start and not at the first request. */
    Optional<Path> caFile(String raw) {
        if (section.optional("caFile", raw).isEmpty()) {
            return Optional.empty();
        }
        Path file = section.readableFile("caFile", raw);
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new CertificateException("no certificate");
            }
        } catch (IOException | CertificateException e) {
            throw section.error("caFile", file.toAbsolutePath()
                    + " holds no PEM certificate; give the CA (or the server's self-signed) certificate in PEM form");
        }
        return Optional.of(file);
    }
}
