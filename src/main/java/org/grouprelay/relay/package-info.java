/**
 * Applies captured changes to each target without losing one (one relay per target, {@link org.grouprelay.relay.Fanout}
 * over several): the outbox (write-ahead intents, one
 * queue per group, {@link org.grouprelay.relay.OutboxLine}), relay and strict mode, the reply barrier
 * (when an operation's reply may go), retries with backoff (and a probe that ends them when the target answers again), members waiting for an account
 * ({@link org.grouprelay.relay.PendingLine}), and the audit trail and relay metrics
 * ({@link org.grouprelay.relay.Outcome}).
 *
 * <p>Must not know: which kind a target is (it speaks the {@code targets.Target} SPI), LDAP or ApacheDS.
 */
package org.grouprelay.relay;
