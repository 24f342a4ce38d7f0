/**
 * The Seafile admin API target: the same groups, members and links as the SQL target, written
 * through Seafile's admin REST API v2.1 with one shared OkHttp client (rate-limited, 429-aware).
 * Links live in a local file in the data directory; see {@link org.grouprelay.targets.seafile.api.LinkFile}.
 *
 * <p>Must not know: the relay, LDAP, the SQL target.
 */
package org.grouprelay.targets.seafile.api;
