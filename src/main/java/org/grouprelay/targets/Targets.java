package org.grouprelay.targets;

import java.nio.file.Path;
import java.time.Clock;
import org.grouprelay.config.EntraConfig;
import org.grouprelay.config.MasConfig;
import org.grouprelay.targets.mas.MasTarget;
import org.grouprelay.config.ScimConfig;
import org.grouprelay.targets.entra.EntraTarget;
import org.grouprelay.config.SeafileConfig;
import org.grouprelay.config.TargetConfig;
import org.grouprelay.targets.scim.ScimTarget;
import org.grouprelay.targets.seafile.api.ApiSettings;
import org.grouprelay.targets.seafile.api.ApiTarget;
import org.grouprelay.targets.seafile.sql.SqlSettings;
import org.grouprelay.targets.seafile.sql.SqlTarget;

/** The one place that knows every kind of target: opens the target a {@link TargetConfig} describes. */
public final class Targets {
    private Targets() {
    }

    /** The target {@code config} names; what it keeps of its own (links) goes to its state directory under {@code dataDir}. */
    public static Target open(TargetConfig config, Path dataDir, Clock clock) {
        Path stateDir = config.stateDir(dataDir);
        if (config.settings() instanceof ScimConfig scim) {
            return new ScimTarget(config.name(), scim, stateDir);
        }
        if (config.settings() instanceof EntraConfig entra) {
            return new EntraTarget(config.name(), entra, clock);
        }
        if (config.settings() instanceof MasConfig mas) {
            return new MasTarget(config.name(), mas, clock);
        }
        return seafile((SeafileConfig) config.settings(), stateDir, clock);
    }

    /** Seafile's databases, or its admin API (links kept in {@code stateDir}), as {@code seafile.target} says. */
    public static Target seafile(SeafileConfig seafile, Path stateDir, Clock clock) {
        if (seafile.target() == SeafileConfig.TargetKind.API) {
            SeafileConfig.Api api = seafile.api().orElseThrow();
            return new ApiTarget(new ApiSettings(api.url(), api.token(), api.username(), api.password(), api.timeout(),
                    api.maxRequestsPerSecond(), api.caFile(), stateDir.resolve(ApiSettings.LINK_FILE)), seafile.groupCreator(),
                    seafile.adopt(), seafile.users(), clock);
        }
        return sqlTarget(seafile, clock);
    }

    /** The SQL target for {@code seafile}'s settings. */
    public static SqlTarget sqlTarget(SeafileConfig seafile, Clock clock) {
        SeafileConfig.Sql sql = seafile.sql().orElseThrow();
        return new SqlTarget(new SqlSettings(sql.ccnetUrl(), sql.seahubUrl(), sql.seafileUrl(), sql.user(), sql.password(),
                seafile.deadline()), seafile.groupCreator(), seafile.adopt(), seafile.users(), clock);
    }
}
