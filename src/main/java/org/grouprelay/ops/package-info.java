/**
 * Operations: the {@code status} report (directory, target, outbox, pending members, last check, last
 * error) and its health rules, the HTTP endpoint ({@code /health}, {@code /metrics} in Prometheus text
 * format), the LDAP operation meters, the container health probe, and reloads on SIGHUP or through {@code dataDir/reload}
 * ({@code grouprelay reload}). Meters live in one
 * {@link io.micrometer.core.instrument.MeterRegistry} that {@code GroupRelay} creates and hands to each
 * component; there is no global registry. Reads the relay's files through the relay's own readers.
 *
 * <p>Must not know: how changes are captured or applied; any target's wire format.
 */
package org.grouprelay.ops;
