package org.grouprelay;

import java.time.Clock;
import java.util.List;
import org.grouprelay.config.Config;
import org.grouprelay.config.Environment;
import org.grouprelay.directory.EmbeddedDirectory;

/**
 * The façade that wires the pipeline from a {@link Config}, in one place, top to bottom:
 * directory → capture → relay → targets. Closing it stops everything it started, in reverse.
 */
public final class GroupRelay implements AutoCloseable {
    private final Config config;
    private final EmbeddedDirectory directory;

    private GroupRelay(Config config, EmbeddedDirectory directory) {
        this.config = config;
        this.directory = directory;
    }

    public static GroupRelay start(Config config, Environment env, Clock clock) throws Exception {
        EmbeddedDirectory directory = EmbeddedDirectory.start(config.directory(), env, List.of(), clock);
        return new GroupRelay(config, directory);
    }

    public Config config() {
        return config;
    }

    public EmbeddedDirectory directory() {
        return directory;
    }

    @Override
    public void close() {
        directory.close();
    }
}
