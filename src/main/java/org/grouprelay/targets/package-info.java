/**
 * Where changes go: the {@link org.grouprelay.targets.Target} SPI (idempotent group, member and link operations in units of
 * work, account mapping, which groups a target takes), {@link org.grouprelay.targets.Targets} (the one place that knows
 * every kind), the undo log of sessions without transactions, and one package per kind ({@code seafile.sql},
 * {@code seafile.api}, {@code scim}, {@code entra}, {@code mas}) plus the HTTP plumbing they share ({@code http}).
 *
 * <p>Must not know: LDAP, the relay's outbox; the kinds do not know each other.
 */
package org.grouprelay.targets;
