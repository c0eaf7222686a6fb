package dev.cdc.spark.job;

import dev.cdc.broker.DeadLetterPublisher;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.ods.apply.BatchResult;
import dev.cdc.ods.apply.OdsUnavailableException;
import dev.cdc.ods.apply.OdsWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each micro-batch, on the driver: the rows become broker messages again, the ODS core applies them (decoding,
 * dead letters, state, XML, the join, the batch id in the same transaction), dead letters go to their DLQ topics,
 * and only then does Spark commit the batch, which acknowledges its messages. Any failure fails the batch: Spark
 * stops the query without committing, and the messages come back. A DLQ topic that refuses its copy (queue full)
 * does not fail the batch: the dead letters are in {@code cdc_dlq} already, and the publisher raises the alert.
 */
public final class OdsBatchSink {

    private final OdsWriter writer;
    private final DeadLetterPublisher deadLetters;
    private final BatchProgress progress;

    public OdsBatchSink(OdsWriter writer, DeadLetterPublisher deadLetters, BatchProgress progress) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.progress = progress;
    }

    public void apply(Dataset<Row> batch, long batchId) throws OdsUnavailableException, java.io.IOException {
        long started = System.nanoTime();
        List<Row> rows = batch.collectAsList();
        List<BrokerMessage> messages = new ArrayList<>(rows.size());
        for (Row row : rows) {
            messages.add(message(row));
        }
        BatchResult result = writer.apply(batchId, messages);
        deadLetters.publish(result.deadLetters());
        long now = System.currentTimeMillis();
        for (long committed : result.changeTimes()) {
            progress.latency(now - committed); // snapshot reads excluded: a bulk load, not a change
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        progress.batch(batchId, rows.size(), result.written(), result.deadLetters().size(), millis);
    }

    /** Whether a batch is waiting out an unreachable database right now. */
    public boolean waitingForDatabase() {
        return writer.retry().waiting() > 0;
    }

    /** Ends a wait for an unreachable database (on stop): that batch fails, nothing of it is acknowledged. */
    public void stopWaiting() {
        writer.stop();
    }

    private static BrokerMessage message(Row row) {
        Map<String, String> properties = new LinkedHashMap<>();
        try {
            DebeziumJsonCodec.mapper().readTree(row.<String>getAs("properties")).properties()
                    .forEach(e -> properties.put(e.getKey(), e.getValue().asText()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the source wrote properties that are not JSON", e);
        }
        return new BrokerMessage(row.getAs("topic"), properties, row.getAs("body"));
    }
}
