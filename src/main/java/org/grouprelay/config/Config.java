package org.grouprelay.config;

/**
 * The whole configuration, immutable once loaded. Sections are added as the pipeline grows;
 * every key is validated by {@link ConfigLoader} before anything starts.
 */
public record Config(DirectoryConfig directory, java.util.Optional<SeafileConfig> seafile, CheckConfig check, OpsConfig ops,
        java.util.Optional<KeycloakConfig> keycloak) {
    /** A directory-only configuration: nothing is relayed. */
    public Config(DirectoryConfig directory) {
        this(directory, java.util.Optional.empty(), CheckConfig.defaults());
    }

    public Config(DirectoryConfig directory, java.util.Optional<SeafileConfig> seafile) {
        this(directory, seafile, CheckConfig.defaults());
    }

    public Config(DirectoryConfig directory, java.util.Optional<SeafileConfig> seafile, CheckConfig check) {
        this(directory, seafile, check, OpsConfig.defaults());
    }

    /** Without a {@code keycloak} section: Keycloak's admin events are not followed. */
    public Config(DirectoryConfig directory, java.util.Optional<SeafileConfig> seafile, CheckConfig check, OpsConfig ops) {
        this(directory, seafile, check, ops, java.util.Optional.empty());
    }

    /** This configuration with {@code keycloak} as its {@code keycloak} section. */
    public Config withKeycloak(KeycloakConfig keycloak) {
        return new Config(directory, seafile, check, ops, java.util.Optional.of(keycloak));
    }
}
