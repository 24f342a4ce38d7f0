package org.grouprelay.config;

import java.util.Objects;

/** A secret value from the configuration; prints as {@code ****} everywhere so it never reaches a log. */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /** The clear value, for the one place that needs it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
