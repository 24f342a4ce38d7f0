package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.grouprelay.membership.NestedPolicy;

/**
 * Matrix Authentication Service ({@code kind: matrix-mas}): membership in one directory group switches Matrix accounts on and
 * off through MAS's admin API.
 *
 * @param url       MAS's base URL (the admin API is {@code {url}/api/admin/v1}, the token endpoint {@code {url}/oauth2/token})
 * @param group     the directory group (cn) whose effective members may use Matrix
 * @param localpart the directory attribute that is the Matrix localpart (MAS username)
 * @param offboard  what happens to the account of someone who leaves the group
 */
public record MasConfig(String url, String clientId, Secret clientSecret, String group, String localpart, Offboard offboard, Duration timeout,
        Optional<Path> caFile, RelayMode mode, Duration deadline, NestedPolicy nested, String placeholderMember, Path auditLog)
        implements TargetSettings {

    /** {@code offboard}: deactivate (never erased) or lock (sessions survive, the account cannot log in again). */
    public enum Offboard { DEACTIVATE, LOCK }

    @Override
    public String kind() {
        return "matrix-mas";
    }
}
