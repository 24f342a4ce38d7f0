package org.grouprelay.keycloak;

/** Keycloak could not be reached, refused a request, or answered something unexpected; the message says which. */
public final class KeycloakException extends Exception {
    private final int status;

    public KeycloakException(String message, int status) {
        super(message);
        this.status = status;
    }

    public KeycloakException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
