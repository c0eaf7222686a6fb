package dev.cdc.flink.source;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Test double of a sink: records each message body it receives under the run's name, in static maps the test reads
 * (the mini-cluster runs in the test's JVM). Counts every write, so duplicates show, and every writer it opens, so
 * a job that failed over and restarted shows too. {@link #failingOnceAfter} makes it fail once, to force a failover.
 */
final class RecordingSinkDouble implements Sink<BrokerRecord> {

    private static final long serialVersionUID = 1L;
    private static final Map<String, Recorded> RUNS = new ConcurrentHashMap<>();

    /** What one run's writers saw. */
    static final class Recorded {
        final Set<String> distinct = ConcurrentHashMap.newKeySet();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger writersOpened = new AtomicInteger();
        final AtomicBoolean failed = new AtomicBoolean();
        /** Per row key ({@code cdc_key}), the SCNs in the order the writers saw them, and which writers saw them. */
        final Map<String, java.util.List<Long>> scnsByKey = new ConcurrentHashMap<>();
        final Map<String, Set<Integer>> readersByKey = new ConcurrentHashMap<>();
    }

    private final String run;
    private final int failAfterWrites;

    RecordingSinkDouble(String run) {
        this(run, 0);
    }

    private RecordingSinkDouble(String run, int failAfterWrites) {
        this.run = run;
        this.failAfterWrites = failAfterWrites;
        RUNS.put(run, new Recorded());
    }

    /** Throws once the run has seen this many writes, the first time only. */
    static RecordingSinkDouble failingOnceAfter(String run, int writes) {
        return new RecordingSinkDouble(run, writes);
    }

    static Recorded of(String run) {
        return RUNS.get(run);
    }

    @Override
    public SinkWriter<BrokerRecord> createWriter(WriterInitContext context) {
        Recorded recorded = RUNS.get(run);
        recorded.writersOpened.incrementAndGet();
        int subtask = context.getTaskInfo().getIndexOfThisSubtask(); // chained to its reader: the reader's index
        return new SinkWriter<>() {
            @Override
            public void write(BrokerRecord record, Context context) throws IOException {
                if (failAfterWrites > 0 && recorded.writes.get() >= failAfterWrites
                        && recorded.failed.compareAndSet(false, true)) {
                    throw new IOException("test double: a sink failure, so the job fails over");
                }
                recorded.distinct.add(record.body);
                String key = record.property(dev.cdc.common.event.MessageProperties.KEY);
                String scn = record.property(dev.cdc.common.event.MessageProperties.SCN);
                if (key != null && scn != null) {
                    recorded.scnsByKey.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                            .add(Long.parseLong(scn));
                    recorded.readersByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(subtask);
                }
                recorded.writes.incrementAndGet();
            }

            @Override
            public void flush(boolean endOfInput) {
                // nothing buffered
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }
}
