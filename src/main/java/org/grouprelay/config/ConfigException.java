package org.grouprelay.config;

/**
 * A configuration mistake, described in one line that names the key and the fix.
 * The message is the user interface: the CLI prints it as it is, never a stack trace.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
