package org.grouprelay.testing.mas;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.grouprelay.config.MasConfig;
import org.grouprelay.config.RelayMode;
import org.grouprelay.config.Secret;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.NestedPolicy;

/** A {@code kind: matrix-mas} target pointed at a {@link FakeMas}, as the loader would build it. */
public final class MasTargets {
    private MasTargets() {
    }

    public static TargetConfig of(String name, FakeMas mas, Path dataDir, String group, MasConfig.Offboard offboard) {
        Path audit = new TargetConfig(name, null).stateDir(dataDir).resolve("audit.jsonl");
        return new TargetConfig(name, new MasConfig(mas.url(), mas.clientId(), new Secret(mas.clientSecret()), group, "uid", offboard,
                Duration.ofSeconds(5), Optional.empty(), RelayMode.RELAY, Duration.ofSeconds(5), NestedPolicy.FLATTEN,
                MembershipRules.KEYCLOAK_PLACEHOLDER, audit));
    }
}
