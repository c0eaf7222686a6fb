package dev.cdc.restapi;

import dev.cdc.common.config.Configuration;
import dev.cdc.restapi.http.RestApi;
import dev.cdc.restapi.store.ReceivedStore;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API target of Architecture B, running: Javalin (Jetty) on {@code host:port} over a {@link ReceivedStore}.
 * {@link #close} is graceful: new writes get 503 (senders retry), writes in progress finish and commit, then the
 * server and the store stop.
 *
 * <pre>{@code
 * try (RestApiServer api = RestApiServer.start(config, home)) { ... api.baseUrl() ... }
 * }</pre>
 */
public final class RestApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestApiServer.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final RestApiOptions options;
    private final ReceivedStore store;
    private final RestApi api;
    private final Javalin app;
    private final int port;
    private boolean closed;

    private RestApiServer(RestApiOptions options, ReceivedStore store, RestApi api, Javalin app) {
        this.options = options;
        this.store = store;
        this.api = api;
        this.app = app;
        this.port = app.port();
    }

    /** Starts from the configuration's {@code api.*} settings; relative paths resolve against {@code home}. */
    public static RestApiServer start(Configuration config, Path home) {
        return start(RestApiSettings.options(config, home));
    }

    public static RestApiServer start(RestApiOptions options) {
        return start(options, RandomGenerator.getDefault());
    }

    /** @param random draws which write requests get an injected fault (tests pass a scripted one) */
    public static RestApiServer start(RestApiOptions options, RandomGenerator random) {
        ReceivedStore store = ReceivedStore.open(options.dataDir(), options.durability());
        try {
            RestApi api = new RestApi(store, options.token(), options.maxBatch(), options.maxBodyBytes(),
                    options.faults(), random);
            Javalin app = Javalin.create(api::configure);
            try {
                app.start(options.host(), options.port());
            } catch (RuntimeException e) {
                app.stop();
                throw new IllegalStateException("api.host/api.port: could not listen on " + options.host() + ":"
                        + options.port() + ": " + rootMessage(e), e);
            }
            RestApiServer server = new RestApiServer(options, store, api, app);
            LOG.info("REST API listening on {} (data {}, durability {}, at most {} records / {} bytes per request{})",
                    server.baseUrl(), store.file(), options.durability().name().toLowerCase(Locale.ROOT),
                    options.maxBatch(), options.maxBodyBytes(), options.faults().any() ? ", faults " + options.faults() : "");
            return server;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The port it listens on (the one chosen when started with port 0). */
    public int port() {
        return port;
    }

    /** {@code http://host:port}, with a wildcard bind address replaced by loopback so that it can be called. */
    public String baseUrl() {
        String host = options.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    public Path dataDir() {
        return options.dataDir();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!api.drain(DRAIN_TIMEOUT)) {
                LOG.warn("writes still in progress after {}; stopping anyway (their senders get no 2xx and retry)",
                        DRAIN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            app.stop();
            store.close(); // waits for a transaction in progress
            LOG.info("REST API on port {} stopped", port);
        }
    }
}
