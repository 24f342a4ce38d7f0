package org.grouprelay.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code grouprelay.yaml} into {@link Config}, validating every key before anything starts: the file is bound to
 * {@link ConfigFile} ({@link ConfigFileReader}), then each section is checked and turned into its record.
 * Relative paths are taken from the working directory, as the shipped example expects.
 */
public final class ConfigLoader {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);
    private final Environment env;
    private final ConfigFileReader reader;

    public ConfigLoader(Environment env) {
        this.env = env;
        this.reader = new ConfigFileReader();
    }

    public Config load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": configuration file does not exist; pass --config FILE or use --demo");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file (" + e.getMessage() + ")");
        }
        ConfigFile raw = reader.read(text, file.toString());
        Config config = validate(raw);
        warnIfSecretsAreReadable(file, raw.literalSecrets());
        return config;
    }

    /** Parses configuration text; {@code source} names it in error messages. */
    public Config parse(String yaml, String source) {
        return validate(reader.read(yaml, source));
    }

    private Config validate(ConfigFile file) {
        Section root = new Section("", env);
        DirectoryConfig directory = new DirectoryValidator(root.child("directory")).validate(root.required("directory", file.directory()));
        Optional<SeafileConfig> seafile = Optional.ofNullable(file.seafile())
                .map(s -> new SeafileValidator(root.child("seafile"), directory).validate(s));
        CheckConfig check = Optional.ofNullable(file.check()).map(c -> new CheckValidator(root.child("check")).validate(c))
                .orElse(CheckConfig.defaults());
        OpsConfig ops = Optional.ofNullable(file.ops()).map(o -> new OpsValidator(root.child("ops"), directory).validate(o))
                .orElse(OpsConfig.defaults());
        Optional<KeycloakConfig> keycloak = Optional.ofNullable(file.keycloak())
                .map(k -> new KeycloakValidator(root.child("keycloak")).validate(k));
        return new Config(directory, seafile, check, ops, keycloak);
    }

    /**
     * A file that holds passwords in clear should be readable by its owner only. Not an error (the
     * operator may have reasons), but said once at start with the fix.
     */
    private static void warnIfSecretsAreReadable(Path file, Set<String> literalSecrets) {
        if (literalSecrets.isEmpty()) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            boolean shared = permissions.stream().anyMatch(p -> p == PosixFilePermission.GROUP_READ || p == PosixFilePermission.OTHERS_READ);
            if (shared) {
                log.warn("{} is readable by {} and holds secrets in clear ({}); run chmod 600 {}, or reference environment variables instead",
                        file, permissions.contains(PosixFilePermission.OTHERS_READ) ? "every user" : "its group",
                        String.join(", ", literalSecrets), file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX permissions here (e.g. Windows): nothing to say
        }
    }
}
