/**
 * Memberships that expire: reading them ({@code grouprelayMemberExpiry} values on groups), their end inside
 * {@code serve} (the directory removes the membership itself, so capture relays it like any removal), notices to
 * members and the admins' digest, and the listing of the {@code memberships} command. The values are kept consistent
 * with {@code member} by the directory's own interceptor (package {@code directory}). Must not know targets.
 */
package org.grouprelay.expiry;
