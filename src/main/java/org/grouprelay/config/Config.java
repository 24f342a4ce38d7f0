package org.grouprelay.config;

/**
 * The whole configuration, immutable once loaded. Sections are added as the pipeline grows;
 * every key is validated by {@link ConfigLoader} before anything starts.
 */
public record Config(DirectoryConfig directory, java.util.Optional<SeafileConfig> seafile, CheckConfig check, OpsConfig ops) {
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
}
