/**
 * The embedded ApacheDS: lifecycle, schema (grouprelay's own included, and its expiry values kept consistent with
 * {@code member}), JDBM partitions, bootstrap LDIF, access control, password
 * hashing, LDAP/LDAPS/StartTLS, clear result codes for refused writes, and held replies (a write's
 * reply sent when the relay says so, after the write lock is released).
 *
 * <p>Must not know: targets, the relay, group-change semantics.
 */
package org.grouprelay.directory;
