/**
 * The SCIM 2.0 target (RFC 7643/7644): groups by {@code externalId} = entryUUID and a local link file, members through
 * PATCH (filtered removes only) or PUT where the server has no PATCH, users provisioned when first needed, the server's
 * ServiceProviderConfig honoured, AWS's deviations behind {@code compatibility: aws}.
 *
 * <p>Must not know: the relay, LDAP, other kinds of target.
 */
package org.grouprelay.targets.scim;
