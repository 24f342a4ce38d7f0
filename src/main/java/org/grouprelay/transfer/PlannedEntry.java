package org.grouprelay.transfer;

import java.util.List;
import org.apache.directory.api.ldap.model.entry.Entry;

/**
 * One entry of an import as it will be written: rewritten to this directory's suffix and schema.
 *
 * @param line    where the entry starts in the file
 * @param entry   schema-aware, with {@code entryUUID} when the file had one
 * @param notes   what was mapped, for the operator (nothing lost)
 * @param skipped what was left out and why (the import then exits 1)
 */
public record PlannedEntry(int line, Entry entry, List<String> notes, List<String> skipped) {
    public PlannedEntry {
        notes = List.copyOf(notes);
        skipped = List.copyOf(skipped);
    }

    public boolean isGroup() {
        return entry.hasObjectClass("groupOfNames");
    }
}
