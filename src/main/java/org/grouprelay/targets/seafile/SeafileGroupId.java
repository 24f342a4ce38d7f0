package org.grouprelay.targets.seafile;

import org.grouprelay.targets.TargetException;

/** Seafile numbers its groups; the relay carries every target's ids as text. */
public final class SeafileGroupId {
    private SeafileGroupId() {
    }

    /** The number behind {@code id}; a non-number is a permanent error (it cannot name a Seafile group). */
    public static long parse(String id) throws TargetException {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new TargetException("'" + id + "' is not a Seafile group id (Seafile numbers its groups)", false, e);
        }
    }
}
