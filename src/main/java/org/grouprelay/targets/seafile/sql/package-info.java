/**
 * The Seafile SQL target: writes ccnet's {@code Group}/{@code GroupUser} (and cleans {@code RepoGroup}
 * and seahub's share permissions) exactly as Seafile's own code does, through HikariCP.
 *
 * <p>Must not know: the relay, LDAP, the API target.
 */
package org.grouprelay.targets.seafile.sql;
