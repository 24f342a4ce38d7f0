/**
 * Moving a directory in and out as LDIF: {@code grouprelay export} (a consistent copy of a running or
 * stopped directory, parents first, with entryUUIDs and password hashes) and {@code grouprelay import}
 * (grouprelay's own export, or OpenLDAP's and 389-ds's, rewritten to this directory's suffix and
 * written over LDAP so that the relay carries the groups to every target).
 */
package org.grouprelay.transfer;
