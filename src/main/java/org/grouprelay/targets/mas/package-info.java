/**
 * The Matrix Authentication Service target: membership in one directory group switches Matrix accounts on (reactivate,
 * unlock) and off (deactivate without erasing, or lock) through MAS's admin API. MAS's own accounts are never touched.
 *
 * <p>Must not know: the relay, LDAP, other kinds of target.
 */
package org.grouprelay.targets.mas;
