package org.grouprelay.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One section of {@code grouprelay.yaml}, by its dotted key: reads the section's values (expanding {@code ${ENV}}) and
 * words every mistake as one line that names the full key ({@code directory.ldap.port}) and what would be accepted.
 */
final class Section {
    private final String path;
    private final Environment env;

    Section(String path, Environment env) {
        this.path = path;
        this.env = env;
    }

    /** The section under {@code key}. */
    Section child(String key) {
        return new Section(key(key), env);
    }

    /** Item {@code index} of the list under {@code key}, named {@code key[index]} in errors. */
    Section item(String key, int index) {
        return new Section(key(key) + "[" + index + "]", env);
    }

    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigException error(String key, String problem) {
        return new ConfigException(key(key) + ": " + problem);
    }

    ConfigException missing(String key) {
        return error(key, "missing; this key is required (see conf/grouprelay.yaml for an example)");
    }

    /** A section or value that must be there. */
    <T> T required(String key, T value) {
        if (value == null) {
            throw missing(key);
        }
        return value;
    }

    Optional<String> optional(String key, String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = env.expand(raw, key(key)).strip();
        if (value.isEmpty()) {
            throw error(key, "is empty; give a value or remove the key");
        }
        return Optional.of(value);
    }

    String string(String key, String raw) {
        return optional(key, raw).orElseThrow(() -> missing(key));
    }

    Secret secret(String key, String raw) {
        return new Secret(string(key, raw));
    }

    /** A list of plain values, e.g. {@code to: [a@b, c@d]}; absent is empty. */
    List<String> strings(String key, List<String> raw) {
        if (raw == null) {
            return List.of();
        }
        return raw.stream().map(item -> env.expand(String.valueOf(item), key(key)).strip()).toList();
    }

    boolean bool(String key, String raw, boolean defaultValue) {
        return optional(key, raw).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(key, "'" + v + "' is not a boolean; write true or false");
        }).orElse(defaultValue);
    }

    int port(String key, String raw) {
        return number(key, string(key, raw), 1, 65535, "is not a TCP port; use a number from 1 to 65535");
    }

    /** A whole number from {@code min} to {@code max}; otherwise {@code 'value' problem}. */
    int number(String key, String value, int min, int max, String problem) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(key, "'" + value + "' " + problem);
    }

    /** A path that may or may not exist yet (a data directory, say). */
    Path path(String key, String raw) {
        try {
            return Path.of(string(key, raw));
        } catch (InvalidPathException e) {
            throw error(key, "'" + raw + "' is not a valid path");
        }
    }

    /** A path to a file that must exist and be readable now. */
    Path readableFile(String key, String raw) {
        Path file = path(key, raw);
        if (!Files.isRegularFile(file)) {
            throw error(key, "file " + file.toAbsolutePath() + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw error(key, "file " + file.toAbsolutePath() + " is not readable by this user");
        }
        return file;
    }

    /** One of {@code type}'s constants, written in lower case ({@code sql}, {@code relay}); absent is {@code defaultValue}. */
    <E extends Enum<E>> E choice(String key, String raw, Class<E> type, String defaultValue) {
        String value = optional(key, raw).orElse(defaultValue);
        try {
            return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new java.util.ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
            throw error(key, "'" + value + "' is not one of " + String.join(", ", allowed));
        }
    }
}
