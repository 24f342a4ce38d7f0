package org.grouprelay.targets;

import java.util.Collection;
import java.util.Optional;
import org.grouprelay.change.GroupReader;
import org.grouprelay.change.GroupRef;
import org.grouprelay.mapping.Accounts;

/**
 * An application as the relay writes it (Seafile, a SCIM app, ...). Work happens in a {@link Session}:
 * a unit of work that is committed or rolled back as a whole where the target allows (strict mode
 * keeps it open until the directory has committed). Every operation is idempotent, so retries and
 * replays are safe; only groups linked to a directory group are ever touched. Group and user ids are
 * the target's own, as text.
 */
public interface Target extends AutoCloseable {
    /** How directory users become the target's user ids (batch lookups, and provisioning where the target allows). */
    Accounts accounts();

    /** One cheap request that proves the target answers (for status and /health); a failure says why. */
    void probe() throws TargetException;

    /** Every link and the members of every linked group, read in one pass (for the consistency check). */
    Snapshot snapshot() throws TargetException;

    /**
     * Gets ready before the first change: proves the connection settings and creates what the target
     * needs of its own (e.g. the link table). A transient failure means "not reachable yet"; a
     * permanent one means the settings are wrong.
     */
    void prepare() throws TargetException;

    /**
     * How the relay reads a group as the directory holds it now; a target that must send whole member lists (SCIM
     * without PATCH) computes them from it. Called once, before the first change; default: not needed.
     */
    default void attach(GroupReader directory) {
    }

    /**
     * Whether changes of {@code group} go to this target. Default: every managed group; a target that maps only some
     * directory groups (Entra) says which.
     */
    default boolean relays(GroupRef group) {
        return true;
    }

    /**
     * Whether the target's groups are grouprelay's own (created for directory groups, deleted with them). A target whose
     * groups exist on their own (Entra: mapped, never created or deleted) says no; the check then reports no orphans.
     */
    default boolean ownsGroups() {
        return true;
    }

    /** The key of {@code group}'s link in {@link Snapshot#links()}: its entryUUID, or what a mapping target keys by (Entra: the name). */
    default String linkKey(GroupRef group) {
        return group.uuid();
    }

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
        /** The target's group linked to {@code group}, if any (and if it still exists). */
        Optional<String> linkedGroup(GroupRef group) throws TargetException;

        /** The linked group, created (or adopted, or re-created if deleted by hand) when needed. */
        GroupLink ensureGroup(GroupRef group) throws TargetException;

        /** Gives the linked group the directory group's name. */
        void renameGroup(String groupId, GroupRef group) throws TargetException;

        /** Deletes the linked group with Seafile's own clean-up (members, shares, link); no-op if not linked. */
        void deleteGroup(GroupRef group) throws TargetException;

        /** The members of the target's group {@code groupId} (an owner included), lower-cased; empty if it does not exist. */
        java.util.Set<String> members(String groupId) throws TargetException;

        void addMembers(String groupId, Collection<String> userIds) throws TargetException;

        /** Removes members (in Seafile also the shares they made to the group; the group's owner row is kept). */
        RemoveResult removeMembers(String groupId, Collection<String> userIds) throws TargetException;

        /**
         * The directory user behind {@code userId} was deleted (after its removal from the group); a target
         * that provisions accounts deactivates or deletes it as configured. Default: nothing.
         */
        default void userDeleted(String userId) throws TargetException {
        }

        void commit() throws TargetException;

        /** Undoes everything not yet committed; safe to call after a failure. */
        void rollback();

        /** Rolls back what was not committed and releases resources. */
        @Override
        void close();
    }

    /** How a directory group got its group in the target. */
    record GroupLink(String groupId, How how) {
        public enum How { EXISTING, CREATED, ADOPTED, RECREATED }
    }

    /** Which requested removals were kept because the user owns the group (Seafile's owner row). */
    record RemoveResult(Collection<String> keptOwners) {
    }
}
