package org.grouprelay.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks the {@code ops} section and turns it into {@link OpsConfig}. */
final class OpsValidator {
    /** A host name, an IPv4 address or an IPv6 address (no scheme, path or port). */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final int MAX_DRAIN_SECONDS = 600;

    private final Section section;
    private final DirectoryConfig directory;

    OpsValidator(Section section, DirectoryConfig directory) {
        this.section = section;
        this.directory = directory;
    }

    OpsConfig validate(ConfigFile.Ops raw) {
        OpsConfig.Http http = Optional.ofNullable(raw.http()).map(this::http).orElse(OpsConfig.Http.defaults());
        Duration drain = section.optional("drainSeconds", raw.drainSeconds())
                .map(v -> Duration.ofSeconds(section.number("drainSeconds", v, 0, MAX_DRAIN_SECONDS,
                        "is not a number of seconds from 0 to " + MAX_DRAIN_SECONDS)))
                .orElse(OpsConfig.DEFAULT_DRAIN);
        return new OpsConfig(http, drain);
    }

    private OpsConfig.Http http(ConfigFile.Http raw) {
        Section http = section.child("http");
        boolean enabled = http.bool("enabled", raw.enabled(), false);
        String host = http.optional("host", raw.host()).orElse(OpsConfig.DEFAULT_HOST);
        if (!HOST.matcher(host).matches()) {
            throw http.error("host", "'" + host
                    + "' is not a host name or IP address; write 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces)");
        }
        int port = http.optional("port", raw.port()).isPresent() ? http.port("port", raw.port()) : OpsConfig.DEFAULT_PORT;
        Optional<String> clash = directory.ldap().port() == port ? Optional.of("directory.ldap")
                : directory.ldaps().filter(e -> e.port() == port).map(e -> "directory.ldaps");
        if (enabled && clash.isPresent()) {
            throw http.error("port", port + " is also " + clash.get() + "'s port; give the endpoint its own, e.g. " + OpsConfig.DEFAULT_PORT);
        }
        return new OpsConfig.Http(enabled, host, port);
    }
}
