package org.grouprelay.config;

/** A listening address for one LDAP transport. */
public record Endpoint(String host, int port) {
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
