package org.grouprelay.capture;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which entry ids are {@code groupOfNames} entries, remembered across the capture's operations. The member
 * index answers "which entries list this value" with entry ids; whether such an entry is a group is a question
 * to the objectClass index, which has no reverse table: every question reads the id list of all
 * {@code groupOfNames} entries (10,000 ids with 10,000 groups), and a member change asks it once per group
 * that lists the member. An entry keeps its id (its entryUUID) for life, and changes its classes only by a
 * modify naming objectClass; the capture forgets everything then, and whenever an entry is deleted (an import
 * may later add an entry with the same entryUUID).
 */
final class GroupIds {
    /** Ids kept at most (about 100 bytes each); past that, the map starts over. */
    static final int CAPACITY = 200_000;

    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    /** Whether the entry {@code id} is a groupOfNames entry, or {@code null} if not known. */
    Boolean get(String id) {
        return known.get(id);
    }

    void put(String id, boolean groupOfNames) {
        if (known.size() >= CAPACITY) {
            known.clear();
        }
        known.put(id, groupOfNames);
    }

    void clear() {
        known.clear();
    }
}
