package org.grouprelay.mapping;

/**
 * One link of the user-mapping chain ({@code seafile.users[n]}).
 *
 * @param provider  social-auth only: the {@code provider} column (seahub's OAUTH_PROVIDER)
 * @param attribute the directory attribute holding the key (default {@code mail})
 */
public record MappingRule(Strategy strategy, String provider, String attribute) {
    @Override
    public String toString() {
        return strategy.configName() + (provider == null ? "" : "(" + provider + ")") + " by " + attribute;
    }
}
