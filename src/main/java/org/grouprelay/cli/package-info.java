/**
 * picocli commands ({@code serve}, {@code check}, {@code status}, {@code reload}, {@code keycloak-setup}) and the exit
 * codes operators script against.
 *
 * <p>Must not know: pipeline internals beyond what {@code GroupRelay} and the check service expose.
 */
package org.grouprelay.cli;
