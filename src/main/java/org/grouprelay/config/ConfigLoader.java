package org.grouprelay.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        ConfigFile raw = reader.read(text(file), file.toString());
        Config config = validate(raw);
        warnIfSecretsAreReadable(file, raw.literalSecrets());
        return config;
    }

    /**
     * The {@code directory.dataDir} that {@code file} names, without checking the other keys or expanding their
     * {@code ${NAME}}s: what a command beside {@code serve} needs when the secrets are only in serve's environment.
     */
    public Path dataDir(Path file) {
        ConfigFile raw = reader.read(text(file), file.toString());
        Section root = new Section("", env);
        return root.child("directory").path("dataDir", root.required("directory", raw.directory()).dataDir());
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": configuration file does not exist; pass --config FILE or use --demo");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read configuration file (" + e.getMessage() + ")");
        }
    }

    /** Parses configuration text; {@code source} names it in error messages. */
    public Config parse(String yaml, String source) {
        return validate(reader.read(yaml, source));
    }

    private Config validate(ConfigFile file) {
        Section root = new Section("", env);
        DirectoryConfig directory = new DirectoryValidator(root.child("directory")).validate(root.required("directory", file.directory()));
        List<TargetConfig> targets = targets(root, file, directory);
        CheckConfig check = Optional.ofNullable(file.check()).map(c -> new CheckValidator(root.child("check")).validate(c))
                .orElse(CheckConfig.defaults());
        OpsConfig ops = Optional.ofNullable(file.ops()).map(o -> new OpsValidator(root.child("ops"), directory).validate(o))
                .orElse(OpsConfig.defaults());
        Optional<KeycloakConfig> keycloak = Optional.ofNullable(file.keycloak())
                .map(k -> new KeycloakValidator(root.child("keycloak")).validate(k));
        ExpiryConfig expiry = Optional.ofNullable(file.expiry()).map(e -> new ExpiryValidator(root.child("expiry")).validate(e))
                .orElse(ExpiryConfig.defaults());
        return new Config(directory, targets, check, ops, keycloak, expiry);
    }

    /**
     * The {@code targets} section, or the top-level {@code seafile} section as the one target named {@code seafile}
     * (never both). Capture computes one membership for all targets, so {@code nested} and {@code placeholderMember}
     * must agree; two targets never share an audit log.
     */
    private static List<TargetConfig> targets(Section root, ConfigFile file, DirectoryConfig directory) {
        if (file.seafile() != null && file.targets() != null) {
            throw root.error("seafile", "a file with both seafile and targets is refused; move the seafile section under targets"
                    + " as 'seafile: { kind: seafile, ... }' (same keys), or remove targets");
        }
        List<TargetConfig> targets = new ArrayList<>();
        if (file.seafile() != null) {
            ConfigFile.Seafile raw = file.seafile();
            Section section = root.child("seafile");
            if (section.optional("kind", raw.kind()).filter(k -> !k.equals("seafile")).isPresent()) {
                throw section.error("kind", "the seafile section is always kind seafile; other kinds go under targets");
            }
            targets.add(new TargetConfig(TargetConfig.SEAFILE, new SeafileValidator(section,
                    TargetConfig.defaultAuditLog(TargetConfig.SEAFILE, directory.dataDir())).validate(raw)));
        }
        Map<String, ConfigFile.TargetSection> listed = file.targets() == null ? Map.of() : file.targets();
        if (file.targets() != null && listed.isEmpty()) {
            throw root.error("targets", "is empty; name at least one target (see conf/grouprelay.yaml) or remove the section");
        }
        Section section = root.child("targets");
        listed.forEach((name, raw) -> {
            if (!TargetConfig.NAME.matcher(name).matches()) {
                throw section.error(name, "'" + name + "' is not a target name; use lower-case letters, digits and '-' (it names"
                        + " logs, metrics and reports)");
            }
            Section target = section.child(name);
            if (raw == null) {
                throw target.error("kind", "missing; write kind: seafile, scim, entra or matrix-mas");
            }
            java.nio.file.Path audit = TargetConfig.defaultAuditLog(name, directory.dataDir());
            TargetSettings settings;
            if (raw instanceof ConfigFile.Seafile seafile) {
                settings = new SeafileValidator(target, audit).validate(seafile);
            } else if (raw instanceof ConfigFile.Scim scim) {
                settings = new ScimValidator(target, audit).validate(scim);
            } else if (raw instanceof ConfigFile.Entra entra) {
                settings = new EntraValidator(target, audit).validate(entra);
            } else {
                settings = new MasValidator(target, audit).validate((ConfigFile.Mas) raw);
            }
            targets.add(new TargetConfig(name, settings));
        });
        agree(section, targets, "nested", TargetSettings::nested);
        agree(section, targets, "placeholderMember", TargetSettings::placeholderMember);
        Map<java.nio.file.Path, String> audits = new java.util.HashMap<>();
        for (TargetConfig target : targets) {
            String other = audits.putIfAbsent(target.settings().auditLog().toAbsolutePath().normalize(), target.name());
            if (other != null) {
                throw section.child(target.name()).error("auditLog", "is also the audit log of target " + other
                        + "; give each target its own file (or leave auditLog out)");
            }
        }
        return targets;
    }

    /** A value as the file writes it ({@code flatten}, not {@code FLATTEN}). */
    private static String written(Object value) {
        return value instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT) : String.valueOf(value);
    }

    private static void agree(Section section, List<TargetConfig> targets, String key, java.util.function.Function<TargetSettings, Object> value) {
        for (TargetConfig target : targets) {
            if (!value.apply(target.settings()).equals(value.apply(targets.get(0).settings()))) {
                throw section.child(target.name()).error(key, "'" + written(value.apply(target.settings())) + "' differs from target "
                        + targets.get(0).name() + "'s '" + written(value.apply(targets.get(0).settings())) + "'; the directory computes one"
                        + " membership for every target, so give all targets the same " + key);
            }
        }
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
