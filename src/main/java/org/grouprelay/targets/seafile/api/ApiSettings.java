package org.grouprelay.targets.seafile.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.grouprelay.config.Secret;

/**
 * Settings of the API target ({@code seafile.api}) plus where its link file lives.
 *
 * @param url      Seafile's base URL without a trailing slash, e.g. {@code https://seafile.example.org}
 * @param token    an admin API token; when empty, {@code username}/{@code password} are exchanged for one
 * @param timeout  connect, read, write and whole-call timeout of each request
 * @param caFile   PEM certificates to trust instead of the JVM's default CAs
 * @param linkFile the directory group (entryUUID) → Seafile group links
 */
public record ApiSettings(String url, Optional<Secret> token, Optional<String> username, Optional<Secret> password,
        Duration timeout, int maxRequestsPerSecond, Optional<Path> caFile, Path linkFile) {

    /** The link file's name inside the data directory. */
    public static final String LINK_FILE = "seafile-api-links.json";

    @Override
    public String toString() {
        return "ApiSettings[url=" + url + ", auth=" + (token.isPresent() ? "token" : "username " + username.orElse("?"))
                + ", timeout=" + timeout + ", maxRequestsPerSecond=" + maxRequestsPerSecond + ", caFile=" + caFile
                + ", linkFile=" + linkFile + "]";
    }
}
