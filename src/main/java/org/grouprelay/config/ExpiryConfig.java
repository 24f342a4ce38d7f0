package org.grouprelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code expiry} section: memberships that expire ({@code grouprelayMemberExpiry} on groups).
 *
 * @param enforce    {@code serve} removes a membership when it ends (checked every 10 s and at start)
 * @param notifyDays days before the end that the member gets a notice and the admins' digest lists it (a group's
 *                   {@code grouprelayNotifyDays} overrides it); notices go out through {@code check.report.email}
 * @param contact    whom a notice tells the member to ask, when the group names no {@code owner}
 * @param template   the notice's text (first line {@code Subject: ...}); empty: the built-in one, as conf/expiry-notice.txt
 * @param every      how often {@code serve} looks for memberships that ended or are about to (at most 10 s)
 */
public record ExpiryConfig(boolean enforce, int notifyDays, Optional<String> contact, Optional<Path> template, Duration every) {
    public static final int DEFAULT_NOTIFY_DAYS = 21;
    public static final int MAX_NOTIFY_DAYS = 3650;
    public static final int MAX_CHECK_SECONDS = 10;

    public static ExpiryConfig defaults() {
        return new ExpiryConfig(true, DEFAULT_NOTIFY_DAYS, Optional.empty(), Optional.empty(), Duration.ofSeconds(MAX_CHECK_SECONDS));
    }
}
