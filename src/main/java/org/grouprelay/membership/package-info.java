/**
 * The membership rules capture and the consistency check share: which entries are managed groups and
 * users ({@link org.grouprelay.membership.Scope}), Keycloak's placeholder, the nested-group policy, and a
 * group's effective users ({@link org.grouprelay.membership.EffectiveUsers}).
 *
 * <p>Must not know: the interceptor, the relay, any target; how a group is read (callers pass a source).
 */
package org.grouprelay.membership;
