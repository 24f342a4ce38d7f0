package org.grouprelay.capture;

import java.util.Map;

/**
 * The net effect of a modify on one group's {@code member} values: the values that become present
 * ({@code added}) and the values that stop being present ({@code removed}), each normalized DN → DN
 * as written. Added values keep the spelling of the request, removed values the spelling the group
 * stored. A value added and removed again in the same request, or added while already present, is
 * in neither. {@code valuesBefore} is how many values the group had.
 */
record MemberEdit(Map<String, String> added, Map<String, String> removed, int valuesBefore) {
    MemberEdit {
        added = java.util.Collections.unmodifiableMap(added);
        removed = java.util.Collections.unmodifiableMap(removed);
    }

    boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }

    /** Whether the group lists {@code norm} after the modify, given whether it did before. */
    boolean listsAfter(String norm, boolean before) {
        return added.containsKey(norm) || before && !removed.containsKey(norm);
    }
}
