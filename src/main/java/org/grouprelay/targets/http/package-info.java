/**
 * HTTP for the targets that speak it: one OkHttp client per target (timeouts, trusted CAs, TCP_NODELAY), JSON requests with
 * failures classified as the relay needs them (transient: connection errors, timeouts, 5xx, 429 with its Retry-After), and
 * an OAuth client-credentials token cache.
 *
 * <p>Must not know: any target's API, the relay, LDAP.
 */
package org.grouprelay.targets.http;
