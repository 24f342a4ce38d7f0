package org.grouprelay.targets;

import java.util.Collection;
import java.util.Optional;
import org.grouprelay.change.GroupRef;
import org.grouprelay.mapping.UserLookup;

/**
 * Seafile as the relay writes it. Work happens in a {@link Session}: a unit of work that is
 * committed or rolled back as a whole where the target allows (strict mode keeps it open until the
 * directory has committed). Every operation is idempotent, so retries and replays are safe; only
 * groups linked to a directory group are ever touched.
 */
public interface Target extends AutoCloseable {
    /** Batch user lookups for the mapping chain. */
    UserLookup users();

    /** Every link and the members of every linked group, read in one pass (for the consistency check). */
    Snapshot snapshot() throws TargetException;

    /**
     * Gets ready before the first change: proves the connection settings and creates what the target
     * needs of its own (e.g. the link table). A transient failure means "not reachable yet"; a
     * permanent one means the settings are wrong.
     */
    void prepare() throws TargetException;

    /** Starts a unit of work. */
    Session begin();

    /**
     * The name this target gives the group; the consistency check compares with it, so a name the
     * target must shorten is not reported as drift.
     */
    default String groupName(GroupRef group) {
        return group.name();
    }

    /** A short description for logs, e.g. the database URL. */
    String describe();

    @Override
    void close();

    /** One unit of work against the target. */
    interface Session extends AutoCloseable {
        /** The Seafile group linked to {@code group}, if any (and if it still exists). */
        Optional<Long> linkedGroup(GroupRef group) throws TargetException;

        /** The linked Seafile group, created (or adopted, or re-created if deleted by hand) when needed. */
        GroupLink ensureGroup(GroupRef group) throws TargetException;

        /** Gives the linked group the directory group's name. */
        void renameGroup(long groupId, GroupRef group) throws TargetException;

        /** Deletes the linked group with Seafile's own clean-up (members, shares, link); no-op if not linked. */
        void deleteGroup(GroupRef group) throws TargetException;

        /** The members of Seafile group {@code groupId} (the owner included), lower-cased; empty if it does not exist. */
        java.util.Set<String> members(long groupId) throws TargetException;

        void addMembers(long groupId, Collection<String> userIds) throws TargetException;

        /** Removes members and the shares they made to the group; the group's owner row is kept. */
        RemoveResult removeMembers(long groupId, Collection<String> userIds) throws TargetException;

        void commit() throws TargetException;

        /** Undoes everything not yet committed; safe to call after a failure. */
        void rollback();

        /** Rolls back what was not committed and releases resources. */
        @Override
        void close();
    }

    /** How a directory group got its Seafile group. */
    record GroupLink(long groupId, How how) {
        public enum How { EXISTING, CREATED, ADOPTED, RECREATED }
    }

    /** Which requested removals were kept because the user owns the group in Seafile. */
    record RemoveResult(Collection<String> keptOwners) {
    }
}
