package org.grouprelay.mapping;

import java.util.Locale;
import java.util.Optional;
import org.grouprelay.change.UserRef;

/** One way of finding a directory user's Seafile account. */
public enum Strategy {
    /** {@code lower(mail)} is the Seafile id: Seafile before 11, or LDAP logins keyed by e-mail. */
    EMAIL("email", true),
    /** seahub's {@code social_auth_usersocialauth} row for (provider, uid): Seafile 11+ OIDC virtual ids. */
    SOCIAL_AUTH("social-auth", false),
    /** seahub's {@code profile_profile.contact_email}: the id of whoever has that contact address. */
    CONTACT_EMAIL("contact-email", true);

    private final String configName;
    private final boolean lowerCaseKey;

    Strategy(String configName, boolean lowerCaseKey) {
        this.configName = configName;
        this.lowerCaseKey = lowerCaseKey;
    }

    public String configName() {
        return configName;
    }

    /** The lookup key this strategy uses for {@code user} under {@code rule}, if the user has the attribute. */
    public Optional<String> key(UserRef user, MappingRule rule) {
        return user.attribute(rule.attribute()).map(String::strip).filter(v -> !v.isEmpty())
                .map(v -> lowerCaseKey ? v.toLowerCase(Locale.ROOT) : v);
    }

    public static Optional<Strategy> byConfigName(String name) {
        for (Strategy s : values()) {
            if (s.configName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
