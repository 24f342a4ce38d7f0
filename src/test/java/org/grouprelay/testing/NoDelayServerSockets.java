package org.grouprelay.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ServerSocketFactory;

/**
 * Accepted sockets with TCP_NODELAY, as a production HTTP server has: an answer's headers and body
 * leave without waiting 40 ms for the client's delayed ACK. SO_REUSEADDR is always on (MockWebServer
 * turns it off for port 0), so a restart can bind the same port while the connections of the
 * previous listener are still closing.
 */
public final class NoDelayServerSockets extends ServerSocketFactory {
    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new ServerSocket() {
            @Override
            public void setReuseAddress(boolean on) throws SocketException {
                super.setReuseAddress(true);
            }

            @Override
            public Socket accept() throws IOException {
                Socket socket = super.accept();
                socket.setTcpNoDelay(true);
                return socket;
            }
        };
    }

    @Override
    public ServerSocket createServerSocket(int port) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
        throw new UnsupportedOperationException();
    }
}
