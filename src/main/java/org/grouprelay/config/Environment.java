package org.grouprelay.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Environment variables, injected rather than read globally so tests and the demo can supply
 * their own. Expands {@code ${NAME}} placeholders in configuration values and LDIF files.
 */
public final class Environment {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> variables;

    public Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public static Environment system() {
        return new Environment(System.getenv());
    }

    /** This environment, with {@code defaults} filling in variables that are not set. */
    public Environment withDefaults(Map<String, String> defaults) {
        Map<String, String> merged = new HashMap<>(defaults);
        merged.putAll(variables);
        return new Environment(merged);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /**
     * Replaces every {@code ${NAME}} in {@code text}.
     *
     * @param where names the key or file being expanded, for the error message
     * @throws ConfigException naming {@code where} and the variable when one is not set
     */
    public String expand(String text, String where) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = get(name).orElseThrow(() -> new ConfigException(
                    where + ": environment variable " + name + " is not set; export " + name + "=... before starting"));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
