package org.grouprelay.reconcile;

import java.util.List;
import org.grouprelay.change.GroupRef;

/** One step of a repair, applied through the target the relay uses. */
public sealed interface RepairAction {
    GroupRef group();

    /** Create (or re-create and re-link) the Seafile group of a directory group. */
    record EnsureGroup(GroupRef group) implements RepairAction {
    }

    record Rename(GroupRef group, String targetGroupId) implements RepairAction {
    }

    record AddMembers(GroupRef group, List<String> targetUsers) implements RepairAction {
        public AddMembers {
            targetUsers = List.copyOf(targetUsers);
        }
    }

    record RemoveMembers(GroupRef group, String targetGroupId, List<String> targetUsers) implements RepairAction {
        public RemoveMembers {
            targetUsers = List.copyOf(targetUsers);
        }
    }

    /** Delete the Seafile group of a directory group that no longer exists (it was linked, so it is ours). */
    record DeleteGroup(GroupRef group) implements RepairAction {
    }
}
