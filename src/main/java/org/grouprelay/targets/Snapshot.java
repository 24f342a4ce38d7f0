package org.grouprelay.targets;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Seafile's side as the consistency check sees it: every link (directory entryUUID → Seafile group)
 * and the members of the linked groups that still exist. Read in one pass.
 *
 * @param links   by directory entryUUID
 * @param members by Seafile group id, lower-cased user ids
 */
public record Snapshot(Map<String, Linked> links, Map<Long, Set<String>> members) {

    /**
     * One link; {@code name} and {@code creator} are empty when the Seafile group no longer exists.
     */
    public record Linked(String uuid, long groupId, Optional<String> name, Optional<String> creator) {
        public boolean exists() {
            return name.isPresent();
        }
    }
}
