package org.grouprelay.ops;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.grouprelay.config.Endpoint;

/**
 * Whether a listener's port is free, asked before anything starts: a taken port then ends the start in one line
 * naming the setting to change, instead of failing later inside ApacheDS or MariaDB (which log a stack trace first).
 */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * Binds {@code endpoint} for a moment (as the listener will: address reuse on, so a port in TIME_WAIT counts as
     * free). Only "in use" is reported here; any other failure (an address not on this host, a privileged port) is
     * left to the listener itself, whose own message says what it is.
     *
     * @param setting the option or key that chooses the port, named in the message ({@code directory.ldap.port}, {@code --port})
     */
    public static void require(Endpoint endpoint, String setting) throws PortInUseException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(endpoint.host(), endpoint.port()));
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                throw new PortInUseException(endpoint.port(), setting);
            }
        } catch (IOException e) {
            // not ours to judge: the listener reports it
        }
    }
}
