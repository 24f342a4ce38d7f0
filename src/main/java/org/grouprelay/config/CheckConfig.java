package org.grouprelay.config;

import java.util.List;
import java.util.Optional;

/**
 * The {@code check} section: the nightly consistency check, its guard and its report e-mail.
 *
 * @param schedule Quartz-style cron expression (seconds first), e.g. {@code 0 30 2 * * ?}
 */
public record CheckConfig(String schedule, double maxRemovalShare, boolean onlyOnDrift, Optional<Email> email) {

    public static CheckConfig defaults() {
        return new CheckConfig("0 30 2 * * ?", 0.2, false, Optional.empty());
    }

    /** {@code check.report.email}. */
    public record Email(List<String> to, String from, Smtp smtp) {
        public Email {
            to = List.copyOf(to);
        }
    }

    /**
     * {@code check.report.email.smtp}: {@code starttls} upgrades a plain connection (port 587);
     * {@code ssl} speaks TLS from the start (SMTPS, port 465).
     */
    public record Smtp(String host, int port, boolean starttls, boolean ssl, Optional<String> user, Optional<Secret> password) {
    }
}
