package org.grouprelay.targets;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A target's side as the consistency check sees it: every link (directory entryUUID → the target's group)
 * and the members of the linked groups that still exist. Read in one pass.
 *
 * @param links   by directory entryUUID
 * @param members        by the target's group id
 * @param membersUnknown ids of groups whose members the target does not show (an AWS-like SCIM server): not compared, lower-cased user ids
 */
public record Snapshot(Map<String, Linked> links, Map<String, Set<String>> members, Set<String> membersUnknown) {
    /** Every linked group's members were read. */
    public Snapshot(Map<String, Linked> links, Map<String, Set<String>> members) {
        this(links, members, Set.of());
    }


    /**
     * One link; {@code name} and {@code creator} are empty when the group no longer exists.
     */
    public record Linked(String uuid, String groupId, Optional<String> name, Optional<String> creator) {
        public boolean exists() {
            return name.isPresent();
        }
    }
}
