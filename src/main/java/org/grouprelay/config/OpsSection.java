package org.grouprelay.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and checks the {@code ops} section. */
final class OpsSection {
    /** A host name, an IPv4 address or an IPv6 address (no scheme, path or port). */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final int MAX_DRAIN_SECONDS = 600;

    private OpsSection() {
    }

    static OpsConfig read(YamlNode node, DirectoryConfig directory) {
        node.allow("http", "drainSeconds");
        OpsConfig.Http http = node.optionalSection("http").map(h -> http(h, directory)).orElse(OpsConfig.Http.defaults());
        Duration drain = node.optionalString("drainSeconds").map(v -> drain(node, v)).orElse(OpsConfig.DEFAULT_DRAIN);
        return new OpsConfig(http, drain);
    }

    private static OpsConfig.Http http(YamlNode node, DirectoryConfig directory) {
        node.allow("enabled", "host", "port");
        boolean enabled = node.bool("enabled", false);
        String host = node.optionalString("host").orElse(OpsConfig.DEFAULT_HOST);
        if (!HOST.matcher(host).matches()) {
            throw new ConfigException(node.key("host") + ": '" + host
                    + "' is not a host name or IP address; write 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces)");
        }
        int port = node.optionalString("port").isPresent() ? node.port("port") : OpsConfig.DEFAULT_PORT;
        Optional<String> clash = directory.ldap().port() == port ? Optional.of("directory.ldap")
                : directory.ldaps().filter(e -> e.port() == port).map(e -> "directory.ldaps");
        if (enabled && clash.isPresent()) {
            throw new ConfigException(node.key("port") + ": " + port + " is also " + clash.get() + "'s port; give the endpoint its own, e.g. "
                    + OpsConfig.DEFAULT_PORT);
        }
        return new OpsConfig.Http(enabled, host, port);
    }

    private static Duration drain(YamlNode node, String value) {
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 0 && seconds <= MAX_DRAIN_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(node.key("drainSeconds") + ": '" + value + "' is not a number of seconds from 0 to " + MAX_DRAIN_SECONDS);
    }
}
