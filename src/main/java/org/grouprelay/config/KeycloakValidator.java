package org.grouprelay.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/** Checks the {@code keycloak} section and turns it into {@link KeycloakConfig}. */
final class KeycloakValidator {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int DEFAULT_POLL_SECONDS = 5;

    private final Section section;

    KeycloakValidator(Section section) {
        this.section = section;
    }

    KeycloakConfig validate(ConfigFile.Keycloak raw) {
        URI url = url(raw.url());
        String realm = name("realm", raw.realm());
        String clientId = name("clientId", raw.clientId());
        Secret secret = section.secret("clientSecret", raw.clientSecret());
        int poll = section.optional("pollSeconds", raw.pollSeconds())
                .map(v -> section.number("pollSeconds", v, 1, KeycloakConfig.MAX_POLL_SECONDS,
                        "is not a number of seconds from 1 to " + KeycloakConfig.MAX_POLL_SECONDS))
                .orElse(DEFAULT_POLL_SECONDS);
        return new KeycloakConfig(url, realm, clientId, secret, Duration.ofSeconds(poll));
    }

    private URI url(String raw) {
        String value = section.string("url", raw);
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw section.error("url", "'" + value
                + "' is not an http(s) URL of Keycloak; write it like http://127.0.0.1:8180 (add the path if Keycloak runs under one, e.g. /auth)");
    }

    private String name(String key, String raw) {
        String value = section.string(key, raw);
        if (!NAME.matcher(value).matches()) {
            throw section.error(key, "'" + value + "' is not a Keycloak name this section accepts; use letters, digits, '.', '_' and '-'");
        }
        return value;
    }
}
