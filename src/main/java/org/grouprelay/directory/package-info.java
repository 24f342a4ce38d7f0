/**
 * The embedded ApacheDS: lifecycle, schema, JDBM partitions, bootstrap LDIF, access control, password
 * hashing, LDAP/LDAPS/StartTLS, clear result codes for refused writes, and held replies (a write's
 * reply sent when the relay says so, after the write lock is released).
 *
 * <p>Must not know: targets, the relay, group-change semantics.
 */
package org.grouprelay.directory;
