package org.grouprelay.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole configuration, immutable once loaded. Sections are added as the pipeline grows;
 * every key is validated by {@link ConfigLoader} before anything starts.
 *
 * @param targets every target changes are relayed to, in the order the file names them (the top-level
 *                {@code seafile} section is the one target named {@code seafile}); empty: nothing is relayed
 */
public record Config(DirectoryConfig directory, List<TargetConfig> targets, CheckConfig check, OpsConfig ops,
        Optional<KeycloakConfig> keycloak, ExpiryConfig expiry) {
    public Config {
        targets = List.copyOf(targets);
    }

    /** With the {@code expiry} section's defaults. */
    public Config(DirectoryConfig directory, List<TargetConfig> targets, CheckConfig check, OpsConfig ops,
            Optional<KeycloakConfig> keycloak) {
        this(directory, targets, check, ops, keycloak, ExpiryConfig.defaults());
    }

    /** A directory-only configuration: nothing is relayed. */
    public Config(DirectoryConfig directory) {
        this(directory, Optional.empty(), CheckConfig.defaults());
    }

    public Config(DirectoryConfig directory, Optional<SeafileConfig> seafile) {
        this(directory, seafile, CheckConfig.defaults());
    }

    public Config(DirectoryConfig directory, Optional<SeafileConfig> seafile, CheckConfig check) {
        this(directory, seafile, check, OpsConfig.defaults());
    }

    /** Without a {@code keycloak} section: Keycloak's admin events are not followed. */
    public Config(DirectoryConfig directory, Optional<SeafileConfig> seafile, CheckConfig check, OpsConfig ops) {
        this(directory, seafile.map(s -> List.of(new TargetConfig(TargetConfig.SEAFILE, s))).orElse(List.of()), check, ops, Optional.empty());
    }

    /** This configuration with {@code keycloak} as its {@code keycloak} section. */
    public Config withKeycloak(KeycloakConfig keycloak) {
        return new Config(directory, targets, check, ops, Optional.of(keycloak), expiry);
    }

    /** This configuration with {@code expiry} as its {@code expiry} section. */
    public Config withExpiry(ExpiryConfig expiry) {
        return new Config(directory, targets, check, ops, keycloak, expiry);
    }

    /** This configuration with {@code check} as its {@code check} section. */
    public Config withCheck(CheckConfig check) {
        return new Config(directory, targets, check, ops, keycloak, expiry);
    }

    /** The settings of the first Seafile target, if there is one. */
    public Optional<SeafileConfig> seafile() {
        return targets.stream().map(TargetConfig::settings).filter(SeafileConfig.class::isInstance).map(SeafileConfig.class::cast).findFirst();
    }

    /** The target named {@code name}. */
    public Optional<TargetConfig> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
