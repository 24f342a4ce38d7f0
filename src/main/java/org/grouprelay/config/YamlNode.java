package org.grouprelay.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of the YAML tree, read key by key. Every error names the full dotted key
 * ({@code directory.ldap.port}) and says what would be accepted.
 */
final class YamlNode {
    private final String path;
    private final Map<String, Object> values;
    private final Environment env;
    /** Keys of secrets written as literal values rather than {@code ${ENV}}, shared by the whole document. */
    private final Set<String> literalSecrets;

    private YamlNode(String path, Map<String, Object> values, Environment env, Set<String> literalSecrets) {
        this.path = path;
        this.values = values;
        this.env = env;
        this.literalSecrets = literalSecrets;
    }

    static YamlNode root(Object document, Environment env) {
        return new YamlNode("", asMap("", document), env, new java.util.TreeSet<>());
    }

    /** The keys of secrets read so far whose values are written in the file itself. */
    Set<String> literalSecrets() {
        return Set.copyOf(literalSecrets);
    }

    /** Refuses keys this section does not know, so a typo is an error and not a silent default. */
    YamlNode allow(String... keys) {
        Set<String> allowed = Set.of(keys);
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw new ConfigException(key(key) + ": unknown key; "
                        + (path.isEmpty() ? "top-level" : path) + " accepts " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    YamlNode section(String key) {
        return optionalSection(key).orElseThrow(() -> missing(key));
    }

    Optional<YamlNode> optionalSection(String key) {
        Object raw = values.get(key);
        return raw == null ? Optional.empty() : Optional.of(new YamlNode(key(key), asMap(key(key), raw), env, literalSecrets));
    }

    /** A list of sections, e.g. {@code users:}; each item is named {@code key[i]} in errors. */
    List<YamlNode> list(String key) {
        Object raw = values.get(key);
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> items)) {
            throw new ConfigException(key(key) + ": expected a list (items starting with '- ')");
        }
        java.util.ArrayList<YamlNode> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String name = key(key) + "[" + i + "]";
            nodes.add(new YamlNode(name, asMap(name, items.get(i)), env, literalSecrets));
        }
        return nodes;
    }

    /** A list of plain values, e.g. {@code to: [a@b, c@d]}; a single value counts as a one-item list. */
    List<String> strings(String key) {
        Object raw = values.get(key);
        if (raw == null) {
            return List.of();
        }
        List<?> items = raw instanceof List<?> list ? list : List.of(raw);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (Object item : items) {
            if (item instanceof Map || item instanceof List) {
                throw new ConfigException(key(key) + ": expected a list of values");
            }
            out.add(env.expand(String.valueOf(item), key(key)).strip());
        }
        return out;
    }

    String string(String key) {
        return optionalString(key).orElseThrow(() -> missing(key));
    }

    Optional<String> optionalString(String key) {
        Object raw = values.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        if (raw instanceof Map || raw instanceof List) {
            throw new ConfigException(key(key) + ": expected a single value, found a " + (raw instanceof Map ? "section" : "list"));
        }
        String value = env.expand(String.valueOf(raw), key(key)).strip();
        if (value.isEmpty()) {
            throw new ConfigException(key(key) + ": is empty; give a value or remove the key");
        }
        return Optional.of(value);
    }

    Secret secret(String key) {
        Object raw = values.get(key);
        if (raw != null && !String.valueOf(raw).contains("${")) {
            literalSecrets.add(key(key));
        }
        return new Secret(string(key));
    }

    boolean bool(String key, boolean defaultValue) {
        return optionalString(key).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key(key) + ": '" + v + "' is not a boolean; write true or false");
        }).orElse(defaultValue);
    }

    int port(String key) {
        String raw = string(key);
        try {
            int port = Integer.parseInt(raw);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key(key) + ": '" + raw + "' is not a TCP port; use a number from 1 to 65535");
    }

    /** A path that may or may not exist yet (a data directory, say). */
    Path path(String key) {
        try {
            return Path.of(string(key));
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(key(key) + ": '" + values.get(key) + "' is not a valid path");
        }
    }

    /** A path to a file that must exist and be readable now. */
    Path readableFile(String key) {
        Path file = path(key);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key(key) + ": file " + file.toAbsolutePath() + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(key(key) + ": file " + file.toAbsolutePath() + " is not readable by this user");
        }
        return file;
    }

    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private ConfigException missing(String key) {
        return new ConfigException(key(key) + ": missing; this key is required (see conf/grouprelay.yaml for an example)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(String where, Object raw) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new ConfigException((where.isEmpty() ? "the configuration" : where)
                    + ": expected a section of key: value pairs, found '" + raw + "'");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }
}
