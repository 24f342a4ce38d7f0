/**
 * Operations: the {@code status} report (directory, Seafile's database, outbox, pending members, last
 * check, last error) and its health rules, the HTTP endpoint ({@code /health}, {@code /metrics} in
 * Prometheus text format), the LDAP operation counters, the container health probe and SIGHUP reloads.
 * Meters live in one {@link io.micrometer.core.instrument.MeterRegistry} that {@code GroupRelay}
 * creates and hands to each component; there is no global registry.
 */
package org.grouprelay.ops;
