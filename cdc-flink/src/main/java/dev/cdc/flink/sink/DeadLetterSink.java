package dev.cdc.flink.sink;

import dev.cdc.flink.job.DeadLetterRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Sends the job's dead letters to their DLQ topics. They are sent at the latest when a checkpoint starts
 * ({@link SinkWriter#flush}), so the broker holds them before their originals are acknowledged; what the broker
 * refuses (its dead-letter queue is full) goes to the subtask's spill file under {@code dlq.spill-dir}
 * instead, and the job goes on.
 */
public final class DeadLetterSink implements Sink<DeadLetterRecord> {

    private static final long serialVersionUID = 1L;
    private final Map<String, String> config;

    /** @param config the job's configuration (its broker settings are used) */
    public DeadLetterSink(Map<String, String> config) {
        this.config = Map.copyOf(config);
    }

    @Override
    public SinkWriter<DeadLetterRecord> createWriter(WriterInitContext context) {
        return new Writer(DeadLetterChannel.forSubtask(config, "dead-letters",
                context.getTaskInfo().getIndexOfThisSubtask()), DeliveryCounts.register(context.metricGroup()));
    }

    private static final class Writer implements SinkWriter<DeadLetterRecord> {
        private final DeadLetterChannel channel;
        private final List<DeadLetterRecord> pending = new ArrayList<>();
        private final DeliveryCounts counts;

        Writer(DeadLetterChannel channel, DeliveryCounts counts) {
            this.channel = channel;
            this.counts = counts;
        }

        @Override
        public void write(DeadLetterRecord letter, Context context) throws IOException {
            pending.add(letter);
            counts.deadLetters(List.of(letter)); // the decoder's: counted with the sink's, so one line shows them all
            if (pending.size() >= 100) {
                flush(false);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            try {
                channel.send(pending);
            } catch (IOException e) {
                throw new IOException("dead letters could be neither sent to the broker nor kept in the spill file"
                        + " (the job restarts and retries): " + e.getMessage(), e);
            }
            pending.clear();
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
    }
}
