/**
 * What both Seafile targets share: Seafile numbers its groups ({@link org.grouprelay.targets.seafile.SeafileGroupId}).
 *
 * <p>Must not know: the relay, LDAP, other kinds of target.
 */
package org.grouprelay.targets.seafile;
