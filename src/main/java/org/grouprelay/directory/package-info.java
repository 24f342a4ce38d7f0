/** The embedded ApacheDS: schema, JDBM partitions, bootstrap LDIF, access control, password hashing, LDAP/LDAPS/StartTLS. */
package org.grouprelay.directory;
