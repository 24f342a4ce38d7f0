package org.grouprelay.mapping;

/**
 * One link of the user-mapping chain ({@code seafile.users[n]}).
 *
 * @param provider  social-auth only: the {@code provider} column (seahub's OAUTH_PROVIDER)
 * @param attribute the directory attribute holding the key (default {@code mail})
 */
public record MappingRule(Strategy strategy, String provider, String attribute) {
    /** Seafile's account id is the directory user's mail: the chain when none is configured. */
    public static final MappingRule DEFAULT = new MappingRule(Strategy.EMAIL, null, "mail");

    @Override
    public String toString() {
        return strategy.configName() + (provider == null ? "" : "(" + provider + ")") + " by " + attribute;
    }
}
