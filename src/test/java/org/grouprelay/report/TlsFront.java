package org.grouprelay.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * GreenMail speaks SMTPS but not STARTTLS (greenmail-mail-test/greenmail#135), so this front
 * terminates real TLS, either after a STARTTLS exchange (RFC 3207) or from the first byte, and relays
 * the decrypted session to GreenMail's plain SMTP port. It records each negotiated TLS protocol.
 */
final class TlsFront implements AutoCloseable {
    enum Mode { STARTTLS, IMPLICIT }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Mode mode;
    private final SSLContext tls;
    private final int backendPort;
    private final ServerSocket server;
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tls-front");
        t.setDaemon(true);
        return t;
    });

    TlsFront(Mode mode, SSLContext tls, int backendPort) throws IOException {
        this.mode = mode;
        this.tls = tls;
        this.backendPort = backendPort;
        this.server = mode == Mode.IMPLICIT ? tls.getServerSocketFactory().createServerSocket(0, 10, LOOPBACK)
                : new ServerSocket(0, 10, LOOPBACK);
        threads.submit(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The TLS protocol of every session that got through the handshake, e.g. {@code TLSv1.3}. */
    List<String> tlsProtocols() {
        return List.copyOf(protocols);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket backend = new Socket(LOOPBACK, backendPort)) {
            SSLSocket secure;
            if (mode == Mode.IMPLICIT) {
                secure = (SSLSocket) client;
                secure.startHandshake(); // GreenMail's greeting then flows through the pipe
            } else {
                readLine(backend.getInputStream()); // GreenMail's greeting; ours comes first
                if (!startTls(client.getInputStream(), client.getOutputStream())) {
                    return;
                }
                secure = (SSLSocket) tls.getSocketFactory().createSocket(client, client.getInetAddress().getHostAddress(),
                        client.getPort(), false);
                secure.setUseClientMode(false);
                secure.startHandshake();
            }
            protocols.add(secure.getSession().getProtocol());
            Socket tlsSide = secure;
            threads.submit(() -> copy(backend.getInputStream(), tlsSide.getOutputStream()));
            copy(secure.getInputStream(), backend.getOutputStream());
        } catch (IOException e) {
            // the client's exception is what the test looks at
        }
    }

    /** The plain-text part: greet, offer STARTTLS, refuse everything else until it is used. */
    private static boolean startTls(InputStream in, OutputStream out) throws IOException {
        write(out, "220 127.0.0.1 tls-front ESMTP");
        for (String line; (line = readLine(in)) != null; ) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO")) {
                write(out, "250-127.0.0.1\r\n250 STARTTLS");
            } else if (command.startsWith("HELO")) {
                write(out, "250 127.0.0.1");
            } else if (command.equals("STARTTLS")) {
                write(out, "220 2.0.0 Ready to start TLS");
                return true;
            } else if (command.equals("QUIT")) {
                write(out, "221 2.0.0 Bye");
                return false;
            } else {
                write(out, "530 5.7.0 Must issue a STARTTLS command first");
            }
        }
        return false;
    }

    /** Byte by byte, so nothing of the TLS handshake that follows STARTTLS is read as text. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                return line.toString(StandardCharsets.US_ASCII).stripTrailing();
            }
            line.write(b);
        }
        return null;
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static Void copy(InputStream from, OutputStream to) throws IOException {
        try (to) {
            from.transferTo(to);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
