/** picocli commands and the exit codes operators script against. */
package org.grouprelay.cli;
