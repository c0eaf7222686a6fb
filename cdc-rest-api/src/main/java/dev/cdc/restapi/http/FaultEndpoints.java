package dev.cdc.restapi.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET/PUT /admin/faults} (token required): read or change the injected faults while the server runs. A PUT
 * sets the fields it names and keeps the others. Internal.
 */
final class FaultEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(FaultEndpoints.class);
    private static final Set<String> FIELDS = Set.of("unavailable_ratio", "latency_ms", "latency_ratio");
    private static final long MAX_BODY = 64 * 1024;

    private final BearerAuth auth;
    private final FaultInjector faults;

    FaultEndpoints(BearerAuth auth, FaultInjector faults) {
        this.auth = auth;
        this.faults = faults;
    }

    void register(JavalinDefaultRouting r) {
        r.get("/admin/faults", ctx -> {
            auth.require(ctx);
            send(ctx, faults.faults());
        });
        r.put("/admin/faults", this::put);
    }

    private void put(Context ctx) {
        auth.require(ctx);
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(RequestBody.read(ctx, MAX_BODY));
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("body is not valid JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("body must be a JSON object with unavailable_ratio, latency_ms, latency_ratio");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.badRequest("unknown field " + name + "; known: unavailable_ratio, latency_ms, latency_ratio");
            }
        }
        Faults now = faults.faults();
        Faults next;
        try {
            next = new Faults(number(body, "unavailable_ratio", now.unavailableRatio()),
                    Duration.ofMillis((long) number(body, "latency_ms", now.latency().toMillis())),
                    number(body, "latency_ratio", now.latencyRatio()));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        faults.set(next);
        LOG.info("faults now: unavailable {}, latency {} ms for {} of writes", next.unavailableRatio(),
                next.latency().toMillis(), next.latencyRatio());
        send(ctx, next);
    }

    private static double number(JsonNode body, String field, double current) {
        JsonNode value = body.get(field);
        if (value == null) {
            return current;
        }
        if (!value.isNumber()) {
            throw ApiError.badRequest(field + " must be a number");
        }
        if (field.equals("latency_ms") && !value.canConvertToExactIntegral()) {
            throw ApiError.badRequest("latency_ms must be a whole number of milliseconds");
        }
        return value.doubleValue();
    }

    private static void send(Context ctx, Faults f) {
        Json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeNumberField("unavailable_ratio", f.unavailableRatio());
            g.writeNumberField("latency_ms", f.latency().toMillis());
            g.writeNumberField("latency_ratio", f.latencyRatio());
            g.writeEndObject();
        });
    }
}
