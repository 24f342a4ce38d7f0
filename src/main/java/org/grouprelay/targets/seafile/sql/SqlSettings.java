package org.grouprelay.targets.seafile.sql;

import java.time.Duration;
import org.grouprelay.config.Secret;

/** Connection settings of the SQL target ({@code seafile.sql}) plus the per-call deadline. */
public record SqlSettings(String ccnetUrl, String seahubUrl, String seafileUrl, String user, Secret password,
        Duration deadline) {
}
