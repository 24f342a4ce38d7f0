package org.grouprelay.testing.graph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.grouprelay.config.EntraConfig;
import org.grouprelay.config.RelayMode;
import org.grouprelay.config.Secret;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.membership.MembershipRules;
import org.grouprelay.membership.NestedPolicy;

/** A {@code kind: entra} target pointed at a {@link FakeGraph} (as Graph and as the token authority), as the loader would build it. */
public final class EntraTargets {
    private EntraTargets() {
    }

    public static TargetConfig of(String name, FakeGraph graph, Path dataDir, List<EntraConfig.GroupMapping> groups, boolean invite) {
        Path audit = new TargetConfig(name, null).stateDir(dataDir).resolve("audit.jsonl");
        return new TargetConfig(name, new EntraConfig(graph.tenantId(), graph.clientId(), new Secret(graph.clientSecret()), groups, "mail",
                invite, "https://myapps.microsoft.com", false, false, graph.url(), graph.url(), Duration.ofSeconds(5), RelayMode.RELAY,
                Duration.ofSeconds(5), NestedPolicy.FLATTEN, MembershipRules.KEYCLOAK_PLACEHOLDER, audit));
    }
}
