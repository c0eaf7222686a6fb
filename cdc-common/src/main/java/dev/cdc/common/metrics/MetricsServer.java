package dev.cdc.common.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} in Prometheus' text format on one address (127.0.0.1 unless configured otherwise),
 * with the JDK's own HTTP server: one endpoint does not need a web framework in a Spark driver or a Flink client.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving {@code scrape} at {@code http://host:port/metrics}; port 0 takes a free one.
     *
     * @throws IOException with the address in its message when the port is taken
     */
    public static MetricsServer start(String host, int port, Supplier<String> scrape) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException e) {
            throw new IOException("cannot serve metrics on " + host + ":" + port + ": the port is taken", e);
        }
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return new MetricsServer(server);
    }

    /**
     * As {@link #start}, for a process whose metrics are not its job: where it serves is said on {@code err}
     * ({@code who: Prometheus metrics on URL}); a taken port is said there too, naming {@code setting}, and null
     * is returned so the process goes on without them.
     */
    public static MetricsServer startOrSay(String who, String host, int port, Supplier<String> scrape, String setting,
                                           java.io.PrintStream err) {
        try {
            MetricsServer server = start(host, port, scrape);
            err.println(who + ": Prometheus metrics on " + server.url());
            return server;
        } catch (IOException e) {
            err.println(who + ": no metrics endpoint: " + e.getMessage() + " (" + setting + ")");
            return null;
        }
    }

    /** Where it serves, e.g. {@code http://127.0.0.1:9464/metrics}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getHostString() + ":" + a.getPort() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
