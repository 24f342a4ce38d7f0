/**
 * Directory user → target user id: the {@link org.grouprelay.mapping.Accounts} contract every target offers, and
 * Seafile's implementation of it, an ordered chain of strategies ({@code social-auth}, {@code contact-email},
 * {@code email}), first hit wins, each one batch lookup.
 *
 * <p>Must not know: LDAP, the relay, how a target stores its accounts (it asks the target's lookup).
 */
package org.grouprelay.mapping;
