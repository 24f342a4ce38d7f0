package org.grouprelay.change;

import org.apache.directory.api.ldap.model.exception.LdapException;

/**
 * Where captured changes go. {@link #prepare} runs before the directory applies the operation and
 * may refuse it (strict mode); {@link #committed} runs after the directory applied it and must not
 * throw: ApacheDS's entry cache does not roll back, so a failure there is handled, never raised.
 */
public interface ChangeSink {
    default void prepare(ChangeSet changes) throws LdapException {
    }

    void committed(ChangeSet changes);

    /** The directory refused the operation after {@link #prepare} accepted it: undo what prepare did. */
    default void aborted(ChangeSet changes) {
    }
}
