package org.grouprelay.testing.scim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.grouprelay.config.RelayMode;
import org.grouprelay.config.ScimConfig;
import org.grouprelay.config.Secret;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.NestedPolicy;

/** A {@code kind: scim} target pointed at a {@link ScimServer}, as the loader would build it. */
public final class ScimTargets {
    private ScimTargets() {
    }

    /** Target {@code name} relaying to {@code server} (compatibility aws for the AWS profile), its audit log under {@code dataDir}. */
    public static TargetConfig of(String name, ScimServer server, Path dataDir, RelayMode mode, Duration deadline) {
        ScimConfig.Compatibility compatibility = server.profile() == ScimProfile.AWS ? ScimConfig.Compatibility.AWS : ScimConfig.Compatibility.NONE;
        TargetConfig target = new TargetConfig(name, null);
        ScimConfig scim = new ScimConfig(server.baseUrl(), new Secret(server.token()), "uid", ScimConfig.OnUserDeleted.DEACTIVATE, 100,
                compatibility, Duration.ofSeconds(5), Optional.empty(), mode, deadline, NestedPolicy.FLATTEN,
                MembershipRules.KEYCLOAK_PLACEHOLDER, target.stateDir(dataDir).resolve("audit.jsonl"));
        return new TargetConfig(name, scim);
    }
}
