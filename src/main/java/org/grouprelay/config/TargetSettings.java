package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import org.grouprelay.membership.NestedPolicy;

/** What every kind of target configures the same way: how its changes are relayed and audited. */
public sealed interface TargetSettings permits SeafileConfig, ScimConfig, EntraConfig, MasConfig {
    /** The {@code kind} key's value: {@code seafile}, {@code scim}. */
    String kind();

    RelayMode mode();

    /** Bound on what an LDAP client waits for this target. */
    Duration deadline();

    NestedPolicy nested();

    /** Keycloak's placeholder {@code member} value, never relayed. */
    String placeholderMember();

    /** The JSON-lines audit trail of this target. */
    Path auditLog();
}
