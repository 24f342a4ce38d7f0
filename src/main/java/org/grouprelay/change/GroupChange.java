package org.grouprelay.change;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One change of a managed group, as the directory committed it. Member changes carry the
 * resolved users (after the nested-group policy), many values as one batch.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GroupChange.GroupCreated.class, name = "group-created"),
    @JsonSubTypes.Type(value = GroupChange.GroupRenamed.class, name = "group-renamed"),
    @JsonSubTypes.Type(value = GroupChange.GroupDeleted.class, name = "group-deleted"),
    @JsonSubTypes.Type(value = GroupChange.MemberAdded.class, name = "member-added"),
    @JsonSubTypes.Type(value = GroupChange.MemberRemoved.class, name = "member-removed"),
    @JsonSubTypes.Type(value = GroupChange.UserRenamed.class, name = "user-renamed"),
    @JsonSubTypes.Type(value = GroupChange.UserDeleted.class, name = "user-deleted"),
    @JsonSubTypes.Type(value = GroupChange.GroupResync.class, name = "group-resync")})
public sealed interface GroupChange {
    /** The group this change applies to; changes to one group are applied in commit order. */
    GroupRef group();

    /** A short name for logs and the audit trail (the same as the JSON type name). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    String kind();

    record GroupCreated(GroupRef group) implements GroupChange {
        @Override
        public String kind() {
            return "group-created";
        }
    }

    record GroupRenamed(GroupRef group, String oldName) implements GroupChange {
        @Override
        public String kind() {
            return "group-renamed";
        }
    }

    record GroupDeleted(GroupRef group) implements GroupChange {
        @Override
        public String kind() {
            return "group-deleted";
        }
    }

    record MemberAdded(GroupRef group, List<UserRef> users) implements GroupChange {
        @Override
        public String kind() {
            return "member-added";
        }
        public MemberAdded {
            users = List.copyOf(users);
        }
    }

    record MemberRemoved(GroupRef group, List<UserRef> users) implements GroupChange {
        @Override
        public String kind() {
            return "member-removed";
        }
        public MemberRemoved {
            users = List.copyOf(users);
        }
    }

    /** A user entry renamed or moved inside peopleDn; one change per group it is a member of. */
    record UserRenamed(GroupRef group, UserRef before, UserRef after) implements GroupChange {
        @Override
        public String kind() {
            return "user-renamed";
        }
    }

    /** A user entry deleted; one change per group it was (effectively) a member of. */
    record UserDeleted(GroupRef group, UserRef user) implements GroupChange {
        @Override
        public String kind() {
            return "user-deleted";
        }
    }

    /**
     * Make the target's group equal the directory's group as it is now (re-read on both sides). Queued
     * where a crash left it unknown whether the directory committed a change of this group.
     */
    record GroupResync(GroupRef group) implements GroupChange {
        @Override
        public String kind() {
            return "group-resync";
        }
    }
}
