package org.grouprelay.transfer;

import java.util.List;
import java.util.Set;

/**
 * What a file becomes: its entries in the order they are written (everything else parents first,
 * then the groups, so that members exist before the relay looks them up), the entries left out
 * entirely, and the operational attributes dropped because the directory sets them itself.
 */
public record ImportPlan(String fromSuffix, String toSuffix, List<PlannedEntry> entries, List<String> skippedEntries,
        List<String> notes, Set<String> droppedOperational) {
    public ImportPlan {
        entries = List.copyOf(entries);
        skippedEntries = List.copyOf(skippedEntries);
        notes = List.copyOf(notes);
        droppedOperational = Set.copyOf(droppedOperational);
    }
}
