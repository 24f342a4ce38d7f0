package org.grouprelay.ops;

import java.io.IOException;

/** A port another process already listens on: one line that names the port and the setting that chooses another. */
public final class PortInUseException extends IOException {
    public PortInUseException(int port, String setting) {
        super("port " + port + " is in use (another server?); choose another with " + setting);
    }
}
