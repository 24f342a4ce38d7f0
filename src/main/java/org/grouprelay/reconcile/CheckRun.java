package org.grouprelay.reconcile;

import java.util.Optional;

/**
 * One run of the consistency check, as reports show it.
 *
 * @param plan   what was found (before any repair)
 * @param repair what the repair did, when {@code --repair} ran without {@code --dry-run}
 * @param mode   "check", "dry-run" or "repair"
 * @param refused why the repair was refused (the mass-removal guard), if it was
 * @param target  how the report names the target: {@code Seafile}, or {@code target <name>}
 */
public record CheckRun(Plan plan, Optional<Result> repair, String mode, Optional<String> refused, String target) {
    /** A run against Seafile (the target named seafile). */
    public CheckRun(Plan plan, Optional<Result> repair, String mode, Optional<String> refused) {
        this(plan, repair, mode, refused, "Seafile");
    }
}
