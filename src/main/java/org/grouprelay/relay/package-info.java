/**
 * Applies captured changes to the target without losing one: the outbox (write-ahead intents, one
 * queue per group, {@link org.grouprelay.relay.OutboxLine}), relay and strict mode, the reply barrier
 * (when an operation's reply may go), retries with backoff, members waiting for an account
 * ({@link org.grouprelay.relay.PendingLine}), and the audit trail and relay metrics
 * ({@link org.grouprelay.relay.Outcome}).
 *
 * <p>Must not know: which kind a target is (it speaks the {@code targets.Target} SPI), LDAP or ApacheDS.
 */
package org.grouprelay.relay;
