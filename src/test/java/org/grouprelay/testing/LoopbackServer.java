package org.grouprelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The HTTP listener of an in-process fake (SCIM, Graph, MAS): MockWebServer on 127.0.0.1 with TCP_NODELAY sockets, which
 * can stop (connections refused) and listen again on the same port while the fake keeps its state. MockWebServer's own
 * request log is emptied after each answer: the fakes keep their own.
 */
public final class LoopbackServer implements AutoCloseable {
    /** Answers one request. */
    public interface Handler {
        MockResponse answer(RecordedRequest request) throws InterruptedException;
    }

    private final Handler handler;
    private final int port;
    private MockWebServer http;

    private LoopbackServer(Handler handler) throws IOException {
        this.handler = handler;
        this.port = listen(0);
    }

    /** Listens on a free port. */
    public static LoopbackServer start(Handler handler) throws IOException {
        return new LoopbackServer(handler);
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops listening: connections are refused until {@link #restart()}. */
    public synchronized void stop() {
        if (http != null) {
            try {
                http.shutdown();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                http = null;
            }
        }
    }

    /** Listens again on the same port. */
    public synchronized void restart() throws IOException {
        if (http == null) {
            listen(port);
        }
    }

    public synchronized boolean running() {
        return http != null;
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized int listen(int onPort) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setServerSocketFactory(new NoDelayServerSockets());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                MockResponse response = handler.answer(request);
                while (server.takeRequest(0, TimeUnit.NANOSECONDS) != null) {
                    // MockWebServer keeps every request it received; the fake keeps its own record
                }
                return response;
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), onPort);
        http = server;
        return server.getPort();
    }
}
