package org.grouprelay.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.grouprelay.config.ConfigException;
import org.grouprelay.config.OpsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint on the JDK's own HTTP server: {@code GET /health} answers 200 when healthy
 * and 503 with the reasons otherwise (the {@link StatusReport} as JSON), {@code GET /metrics} answers
 * the Prometheus text format. No authentication: it listens on loopback unless configured otherwise.
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsHttpServer.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static OpsHttpServer start(OpsConfig.Http http, Supplier<StatusReport> health, PrometheusMeterRegistry metrics)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(http.host(), http.port());
        if (address.isUnresolved()) {
            throw new ConfigException("ops.http.host: '" + http.host() + "' does not resolve to an address; write an IP address such as 127.0.0.1");
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (BindException e) {
            throw new BindException("ops.http " + http.host() + ":" + http.port() + ": " + e.getMessage());
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "grouprelay-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try {
                route(exchange, health, metrics);
            } catch (RuntimeException e) {
                log.warn("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
                if (exchange.getResponseCode() == -1) {
                    send(exchange, 500, "text/plain; charset=utf-8", StatusProbe.oneLine(e) + "\n");
                }
            } finally {
                exchange.close();
            }
        });
        server.start();
        boolean loopback = address.getAddress().isLoopbackAddress();
        log.info("health and metrics on {}/health and {}/metrics{}", http.localUrl(), http.localUrl(),
                loopback ? "" : " (listening on " + http.host() + ": anyone who can reach it can read them; there is no authentication)");
        return new OpsHttpServer(server, executor);
    }

    private static void route(HttpExchange exchange, Supplier<StatusReport> health, PrometheusMeterRegistry metrics) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/health") && !path.equals("/metrics")) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found; try /health or /metrics\n");
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, "text/plain; charset=utf-8", "use GET\n");
            return;
        }
        if (path.equals("/metrics")) {
            send(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
            return;
        }
        StatusReport report = health.get();
        send(exchange, report.healthy() ? 200 : 503, "application/json", report.toJson());
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
