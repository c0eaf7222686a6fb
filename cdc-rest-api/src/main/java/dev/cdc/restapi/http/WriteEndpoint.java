package dev.cdc.restapi.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.restapi.store.InvalidRecordException;
import dev.cdc.restapi.store.WriteOutcome;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code POST /api/v1/<kind>}: a batch of records in, one result per record out, in request order. The valid
 * records go to the store in one transaction that commits before the 200 is sent; an invalid record is reported
 * and the rest of its batch still goes on. Internal.
 *
 * @param <R> the kind's validated record
 */
final class WriteEndpoint<R> implements Handler {

    /** Turns one element of the batch into the kind's record, or says why it is invalid. */
    interface Validator<R> {
        R validate(JsonNode node, String json) throws InvalidRecordException;
    }

    /** The limits of one request. */
    record Limits(int maxRecords, long maxBodyBytes) {
    }

    private final RecordKind kind;
    private final Validator<R> validator;
    private final Function<R, String> idOf;
    private final Function<List<R>, List<WriteOutcome>> store;
    private final Limits limits;
    private final BearerAuth auth;
    private final WriteGate gate;
    private final FaultInjector faults;
    private final ApiMetrics metrics;

    WriteEndpoint(RecordKind kind, Validator<R> validator, Function<R, String> idOf,
                  Function<List<R>, List<WriteOutcome>> store, Limits limits, BearerAuth auth, WriteGate gate,
                  FaultInjector faults, ApiMetrics metrics) {
        this.kind = kind;
        this.validator = validator;
        this.idOf = idOf;
        this.store = store;
        this.limits = limits;
        this.auth = auth;
        this.gate = gate;
        this.faults = faults;
        this.metrics = metrics;
    }

    RecordKind kind() {
        return kind;
    }

    @Override
    public void handle(Context ctx) {
        auth.require(ctx);
        if (!gate.enter()) {
            throw ApiError.unavailable("shutting down");
        }
        boolean exitLater = false;
        try {
            FaultInjector.Decision fault = faults.draw();
            if (fault.unavailable()) {
                metrics.unavailableInjected();
                throw ApiError.unavailable("unavailable (injected)");
            }
            receive(ctx);
            if (fault.delayed()) {
                metrics.latencyInjected();
                // the answer (already committed to the store) goes out later, holding no thread meanwhile
                CompletableFuture<Void> later = CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(fault.delay().toMillis(), TimeUnit.MILLISECONDS));
                later.whenComplete((ignored, error) -> gate.exit());
                exitLater = true;
                ctx.future(() -> later);
            }
        } finally {
            if (!exitLater) {
                gate.exit();
            }
        }
    }

    private void receive(Context ctx) {
        List<JsonBatch.Element> batch = JsonBatch.parse(RequestBody.read(ctx, limits.maxBodyBytes()), limits.maxRecords());
        // per element: the valid record, or the reason it is not
        List<R> valid = new ArrayList<>(batch.size());
        String[] reasons = new String[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            JsonBatch.Element e = batch.get(i);
            try {
                valid.add(validator.validate(e.node(), e.json()));
            } catch (InvalidRecordException invalid) {
                reasons[i] = invalid.reason();
            }
        }
        List<WriteOutcome> outcomes = store.apply(valid);

        int stored = (int) outcomes.stream().filter(o -> o == WriteOutcome.STORED).count();
        int duplicates = outcomes.size() - stored;
        int invalid = batch.size() - valid.size();
        metrics.records(kind, stored, duplicates, invalid);
        Json.send(ctx, 200, g -> {
            g.writeStartObject();
            g.writeNumberField("stored", stored);
            g.writeNumberField("duplicates", duplicates);
            g.writeNumberField("invalid", invalid);
            g.writeArrayFieldStart("results");
            int next = 0;
            for (int i = 0; i < batch.size(); i++) {
                g.writeStartObject();
                if (reasons[i] == null) {
                    R record = valid.get(next);
                    g.writeStringField("id", idOf.apply(record));
                    g.writeStringField("status", outcomes.get(next++) == WriteOutcome.STORED ? "stored" : "duplicate");
                } else {
                    JsonNode id = batch.get(i).node().get("id");
                    g.writeStringField("id", id != null && id.isTextual() ? id.textValue() : null);
                    g.writeStringField("status", "invalid");
                    g.writeStringField("reason", reasons[i]);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
