package org.grouprelay.reconcile;

import java.util.List;
import org.grouprelay.change.GroupRef;

/** One step of a repair, applied through the target the relay uses. */
public sealed interface RepairAction {
    GroupRef group();

    /** Create (or re-create and re-link) the Seafile group of a directory group. */
    record EnsureGroup(GroupRef group) implements RepairAction {
    }

    record Rename(GroupRef group, long seafileGroupId) implements RepairAction {
    }

    record AddMembers(GroupRef group, List<String> seafileUsers) implements RepairAction {
        public AddMembers {
            seafileUsers = List.copyOf(seafileUsers);
        }
    }

    record RemoveMembers(GroupRef group, long seafileGroupId, List<String> seafileUsers) implements RepairAction {
        public RemoveMembers {
            seafileUsers = List.copyOf(seafileUsers);
        }
    }

    /** Delete the Seafile group of a directory group that no longer exists (it was linked, so it is ours). */
    record DeleteGroup(GroupRef group) implements RepairAction {
    }
}
