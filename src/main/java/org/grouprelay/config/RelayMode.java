package org.grouprelay.config;

/**
 * How a target's changes meet the directory's: {@code relay} applies them after the directory
 * committed (the reply waits up to the deadline, nothing is ever refused); {@code strict} applies them
 * first and refuses the LDAP operation (52/53) when the target cannot take them.
 */
public enum RelayMode { RELAY, STRICT }
