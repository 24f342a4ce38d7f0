/**
 * The ApacheDS interceptor: translates directory writes into {@code change} records (members, nested
 * groups, renames, deletes), keeps referential integrity of member values, hands each operation's changes
 * to the {@code ChangeSink} before and after the partition commit, and reads a group as it is now.
 *
 * <p>Must not know: any target (SQL, HTTP), the outbox.
 */
package org.grouprelay.capture;
