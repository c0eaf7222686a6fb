package dev.cdc.spark.job;

import dev.cdc.broker.DeadLetterPublisher;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.ods.apply.AppliedChanges;
import dev.cdc.ods.apply.OdsUnavailableException;
import dev.cdc.ods.apply.OdsWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each micro-batch, where Spark puts the work:
 * <ol>
 *   <li>on the executors, one task per slice of the batch (the source slices it by row key): the core's
 *   {@link OdsWriter#applyChanges} decodes, admits, writes state and extracted rows with the position guard, and
 *   queues the affected orders, through the executor's own connections;</li>
 *   <li>on the executors again, one task per slice of the queued orders (by order key hash): the recompute of the
 *   enriched orders and their revenue windows;</li>
 *   <li>on the driver: the batch's dead letters published to their DLQ topics, the windows closed and the batch
 *   recorded; then Spark commits the batch, which acknowledges its messages.</li>
 * </ol>
 * Any failure fails the batch: Spark stops the query without committing, the messages come back, and the replay
 * changes nothing that landed (the position guard; queued orders wait in their table). A DLQ topic that refuses its
 * copy (queue full) does not fail the batch: the dead letters are in {@code cdc_dlq} already, and the publisher
 * raises the alert. Executors reach PostgreSQL only; the driver reaches the broker and PostgreSQL.
 */
public final class OdsBatchSink {

    /** One task's share of a batch, with where it ran. */
    record Slice(AppliedChanges changes, int partition, String executor) implements java.io.Serializable {
    }

    private final OdsWriter driverWriter;
    private final ExecutorOds.Spec spec;
    private final boolean recompute;
    private final DeadLetterPublisher deadLetters;
    private final BatchProgress progress;
    private boolean firstBatch = true;

    public OdsBatchSink(OdsWriter driverWriter, ExecutorOds.Spec spec, boolean recompute, DeadLetterPublisher deadLetters,
                        BatchProgress progress) {
        this.driverWriter = driverWriter;
        this.spec = spec;
        this.recompute = recompute;
        this.deadLetters = deadLetters;
        this.progress = progress;
    }

    public void apply(Dataset<Row> batch, long batchId) throws OdsUnavailableException, java.io.IOException {
        long started = System.nanoTime();
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(batch.sparkSession().sparkContext());
        spark.setLocalProperty("spark.job.interruptOnCancel", "true"); // a stop interrupts a task waiting out an outage
        ExecutorOds.Spec spec = this.spec;
        List<Slice> slices = batch.toJavaRDD().mapPartitions((Iterator<Row> rows) -> applySlice(spec, rows)).collect();
        long appliedAt = System.nanoTime();
        List<AppliedChanges> applied = slices.stream().map(Slice::changes).toList();
        AppliedChanges changes = AppliedChanges.sum(applied);
        int recomputed = 0;
        if (recompute && (!slices.isEmpty() || firstBatch)) { // the first batch also finishes what a crash left queued
            int n = Math.max(1, spark.defaultParallelism());
            List<Integer> parts = IntStream.range(0, n).boxed().toList();
            recomputed = spark.parallelize(parts, n)
                    .map(slice -> ExecutorOds.with(spec, w -> w.recomputeOrders(slice, n)))
                    .reduce(Integer::sum);
        }
        firstBatch = false;
        long recomputedAt = System.nanoTime();
        deadLetters.publish(changes.deadLetters());
        driverWriter.finishBatch(batchId, changes.events(), changes.newestCommitMs());
        long now = System.currentTimeMillis();
        for (long committed : changes.changeTimes()) {
            progress.latency(now - committed); // snapshot reads excluded: a bulk load, not a change
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        progress.batch(batchId, changes.events(), changes.written(), changes.deadLetters().size(), millis,
                slices.size(), (int) slices.stream().map(Slice::executor).distinct().count(), recomputed,
                (appliedAt - started) / 1_000_000, (recomputedAt - appliedAt) / 1_000_000, changes.stale(),
                changes.writtenByTable(), changes.deadLetters());
    }

    private static Iterator<Slice> applySlice(ExecutorOds.Spec spec, Iterator<Row> rows) throws OdsUnavailableException {
        List<BrokerMessage> messages = new ArrayList<>();
        rows.forEachRemaining(row -> messages.add(message(row)));
        if (messages.isEmpty()) {
            return java.util.Collections.emptyIterator();
        }
        AppliedChanges changes = ExecutorOds.with(spec, w -> w.applyChanges(messages));
        return List.of(new Slice(changes, TaskContext.getPartitionId(), SparkEnv.get().executorId())).iterator();
    }

    /** Whether a batch is waiting out an unreachable database right now (in this JVM: the driver, or local executors). */
    public boolean waitingForDatabase() {
        return driverWriter.retry().waiting() > 0 || ExecutorOds.waiting();
    }

    /** Ends a wait for an unreachable database (on stop): that batch fails, nothing of it is acknowledged. */
    public void stopWaiting() {
        driverWriter.stop();
        ExecutorOds.stopWaiting();
    }

    /** Closes what the executors of this JVM hold (local mode). */
    public void close() {
        ExecutorOds.closeAll();
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
