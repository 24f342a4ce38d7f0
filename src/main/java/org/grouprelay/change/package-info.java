/**
 * The domain: what happened to a managed group ({@link org.grouprelay.change.GroupChange} records, one
 * {@link org.grouprelay.change.ChangeSet} per LDAP operation) and the contracts between the stages:
 * {@link org.grouprelay.change.ChangeSink} (capture → relay: intent, commit, abort, with a domain refusal)
 * and {@link org.grouprelay.change.GroupReader} (a group as the directory holds it now).
 *
 * <p>Must not know: LDAP wire details or ApacheDS types, any target.
 */
package org.grouprelay.change;
