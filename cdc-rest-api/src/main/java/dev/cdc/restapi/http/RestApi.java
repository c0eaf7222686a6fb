package dev.cdc.restapi.http;

import dev.cdc.restapi.store.AlertRecord;
import dev.cdc.restapi.store.ChangeRecord;
import dev.cdc.restapi.store.EnrichedOrderRecord;
import dev.cdc.restapi.store.InvalidCursorException;
import dev.cdc.restapi.store.ReceivedStore;
import dev.cdc.restapi.store.StoreUnavailableException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a {@link ReceivedStore}: every route, bearer auth on writes and admin, fault injection,
 * metrics, and errors as JSON (never a stack trace). It configures a Javalin instance; the caller owns the server
 * and the store, and calls {@link #drain} before stopping them.
 */
public final class RestApi {

    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);

    private final ApiMetrics metrics = new ApiMetrics();
    private final WriteGate gate = new WriteGate();
    private final FaultInjector faults;
    private final long maxBodyBytes;
    private final WriteEndpoint<?>[] writes;
    private final ReadEndpoints reads;
    private final OpsEndpoints ops;
    private final FaultEndpoints admin;

    /**
     * @param token the bearer token writers and admins must send (non-empty)
     * @param random draws which write requests get a fault
     */
    public RestApi(ReceivedStore store, String token, int maxRecords, long maxBodyBytes, Faults initialFaults,
                   RandomGenerator random) {
        BearerAuth auth = new BearerAuth(token);
        this.faults = new FaultInjector(initialFaults, random);
        this.maxBodyBytes = maxBodyBytes;
        WriteEndpoint.Limits limits = new WriteEndpoint.Limits(maxRecords, maxBodyBytes);
        this.writes = new WriteEndpoint<?>[] {
            new WriteEndpoint<>(RecordKind.CHANGES, ChangeRecord::from, ChangeRecord::id, store::writeChanges,
                    limits, auth, gate, faults, metrics),
            new WriteEndpoint<>(RecordKind.ENRICHED_ORDERS, EnrichedOrderRecord::from, EnrichedOrderRecord::id,
                    store::writeEnrichedOrders, limits, auth, gate, faults, metrics),
            new WriteEndpoint<>(RecordKind.ALERTS, AlertRecord::from, AlertRecord::id, store::writeAlerts,
                    limits, auth, gate, faults, metrics),
        };
        this.reads = new ReadEndpoints(store, metrics, Instant.now());
        this.ops = new OpsEndpoints(store, gate, metrics);
        this.admin = new FaultEndpoints(auth, faults);
    }

    public void configure(JavalinConfig config) {
        config.showJavalinBanner = false;
        config.http.maxRequestSize = maxBodyBytes;
        config.http.prefer405over404 = true;
        config.staticFiles.enableWebjars();
        config.requestLogger.http((ctx, ms) -> metrics.request(ctx.method().name(), endpoint(ctx), ctx.statusCode(),
                Duration.ofNanos((long) (ms * 1_000_000))));
        config.router.mount(this::routes);
    }

    private void routes(JavalinDefaultRouting r) {
        for (WriteEndpoint<?> write : writes) {
            r.post(write.kind().path(), write);
        }
        reads.register(r);
        ops.register(r);
        admin.register(r);

        r.exception(ApiError.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            Json.error(ctx, e.status(), e.getMessage());
        });
        r.exception(InvalidCursorException.class, (e, ctx) -> Json.error(ctx, 400, e.getMessage()));
        r.exception(StoreUnavailableException.class, (e, ctx) -> {
            LOG.warn("{} {}: answered 503: {}", ctx.method(), ctx.path(), e.getMessage(), e.getCause());
            ctx.header("Retry-After", "1");
            Json.error(ctx, 503, "store unavailable");
        });
        // Javalin's own answers: unknown path (404), wrong method (405), ...
        r.exception(HttpResponseException.class, (e, ctx) -> Json.error(ctx, e.getStatus(), e.getMessage()));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {}: answered 500", ctx.method(), ctx.path(), e);
            Json.error(ctx, 500, "internal error");
        });
    }

    /** The route a request matched, so that ids in paths never become metric labels. */
    private static String endpoint(Context ctx) {
        if (ctx.handlerType() == HandlerType.BEFORE) { // no route matched: a webjar file, or a 404
            return ctx.path().startsWith("/webjars/") ? "/webjars/*" : "unmatched";
        }
        return ctx.endpointHandlerPath();
    }

    /**
     * Refuses new writes (503, which senders retry) and waits for the ones in progress.
     *
     * @return whether they all finished within {@code timeout}
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        return gate.closeAndDrain(timeout);
    }
}
