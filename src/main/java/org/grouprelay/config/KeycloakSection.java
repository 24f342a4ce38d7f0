package org.grouprelay.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/** Reads and checks the {@code keycloak} section. */
final class KeycloakSection {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final int DEFAULT_POLL_SECONDS = 5;

    private KeycloakSection() {
    }

    static KeycloakConfig read(YamlNode node) {
        node.allow("url", "realm", "clientId", "clientSecret", "pollSeconds");
        URI url = url(node);
        String realm = name(node, "realm");
        String clientId = name(node, "clientId");
        Secret secret = node.secret("clientSecret");
        int poll = node.optionalString("pollSeconds").map(v -> pollSeconds(node, v)).orElse(DEFAULT_POLL_SECONDS);
        return new KeycloakConfig(url, realm, clientId, secret, Duration.ofSeconds(poll));
    }

    private static URI url(YamlNode node) {
        String raw = node.string("url");
        try {
            URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new ConfigException(node.key("url") + ": '" + raw
                + "' is not an http(s) URL of Keycloak; write it like http://127.0.0.1:8180 (add the path if Keycloak runs under one, e.g. /auth)");
    }

    private static String name(YamlNode node, String key) {
        String value = node.string(key);
        if (!NAME.matcher(value).matches()) {
            throw new ConfigException(node.key(key) + ": '" + value
                    + "' is not a Keycloak name this section accepts; use letters, digits, '.', '_' and '-'");
        }
        return value;
    }

    private static int pollSeconds(YamlNode node, String value) {
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 1 && seconds <= KeycloakConfig.MAX_POLL_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(node.key("pollSeconds") + ": '" + value + "' is not a number of seconds from 1 to "
                + KeycloakConfig.MAX_POLL_SECONDS);
    }
}
