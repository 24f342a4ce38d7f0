/**
 * The Microsoft Entra ID target: the members of mapped Entra groups follow their directory groups through Microsoft Graph
 * (client-credentials token, ≤ 20 references per PATCH with the split on an existing one, batched removals and lookups,
 * optional guest invitations). Groups are never created, renamed or deleted.
 *
 * <p>Must not know: the relay, LDAP, other kinds of target.
 */
package org.grouprelay.targets.entra;
