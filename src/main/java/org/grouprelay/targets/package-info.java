/**
 * Where changes go: the {@link org.grouprelay.targets.Target} SPI (idempotent group, member and link
 * operations in units of work) and one package per kind ({@code seafile.sql}, {@code seafile.api}).
 *
 * <p>Must not know: LDAP, the relay's outbox, each other.
 */
package org.grouprelay.targets;
