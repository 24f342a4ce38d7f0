package org.grouprelay.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One target of the {@code targets} section (or the top-level {@code seafile} section, which is the
 * target named {@code seafile}).
 *
 * @param name [a-z0-9-]+, used in logs, metrics labels, audit lines and reports
 */
public record TargetConfig(String name, TargetSettings settings) {
    /** The name of the target the top-level {@code seafile} section configures. */
    public static final String SEAFILE = "seafile";
    static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

    /**
     * Where the relay keeps this target's outbox, pending members and links: {@code <dataDir>/targets/<name>},
     * except for the target named {@code seafile}, whose files stay in {@code dataDir} itself, where the
     * single-target releases kept them (an upgrade moves nothing).
     */
    public Path stateDir(Path dataDir) {
        return name.equals(SEAFILE) ? dataDir : dataDir.resolve("targets").resolve(name);
    }

    /** How LDAP diagnostics name this target: {@code Seafile} for the target named seafile, else {@code target <name>}. */
    public String label() {
        return name.equals(SEAFILE) ? "Seafile" : "target " + name;
    }

    /** The default audit log: {@code audit.jsonl} in {@link #stateDir}. */
    static Path defaultAuditLog(String name, Path dataDir) {
        return new TargetConfig(name, null).stateDir(dataDir).resolve("audit.jsonl");
    }
}
