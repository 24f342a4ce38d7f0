package org.grouprelay.targets.scim;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.grouprelay.change.GroupRef;
import org.grouprelay.targets.Target;
import org.grouprelay.targets.TargetException;

/** A session on a server whose ServiceProviderConfig could not be read: every call fails with that reason (retried as it says). */
final class FailedSession implements Target.Session {
    private final TargetException cause;

    FailedSession(TargetException cause) {
        this.cause = cause;
    }

    private TargetException failure() {
        return new TargetException(cause.getMessage(), cause.isTransient(), cause, cause.retryAfter());
    }

    @Override
    public Optional<String> linkedGroup(GroupRef group) throws TargetException {
        throw failure();
    }

    @Override
    public Target.GroupLink ensureGroup(GroupRef group) throws TargetException {
        throw failure();
    }

    @Override
    public void renameGroup(String groupId, GroupRef group) throws TargetException {
        throw failure();
    }

    @Override
    public void deleteGroup(GroupRef group) throws TargetException {
        throw failure();
    }

    @Override
    public Set<String> members(String groupId) throws TargetException {
        throw failure();
    }

    @Override
    public void addMembers(String groupId, Collection<String> userIds) throws TargetException {
        throw failure();
    }

    @Override
    public Target.RemoveResult removeMembers(String groupId, Collection<String> userIds) throws TargetException {
        throw failure();
    }

    @Override
    public void commit() throws TargetException {
        throw failure();
    }

    @Override
    public void rollback() {
    }

    @Override
    public void close() {
    }
}
