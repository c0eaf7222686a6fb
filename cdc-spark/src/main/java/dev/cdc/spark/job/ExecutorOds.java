package dev.cdc.spark.job;

import dev.cdc.common.config.Configuration;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.OdsSettings;
import dev.cdc.ods.apply.OdsUnavailableException;
import dev.cdc.ods.apply.OdsWriter;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The ODS as an executor JVM sees it: one connection pool per configuration, and idle writers that concurrent tasks
 * borrow (a writer keeps caches and is not thread-safe). Tasks come and go; the pool and the writers stay for the
 * executor's life, so a batch does not reconnect or relearn the tables. In local mode the executor is the driver's
 * JVM, and {@link #closeAll} ends them with the pipeline.
 */
final class ExecutorOds {

    /** What a task needs to reach the ODS: the driver's resolved configuration (credentials travel with the task, as Spark's JDBC options do, and are never logged). */
    record Spec(Map<String, String> config) implements Serializable {
        Spec {
            config = Map.copyOf(config);
        }
    }

    /** Work done with a borrowed writer. */
    interface Work<T> {
        T run(OdsWriter writer) throws OdsUnavailableException;
    }

    private static final class Writers {
        final OdsDatabase database;
        final OdsWriter.Options options;
        final ConcurrentLinkedQueue<OdsWriter> idle = new ConcurrentLinkedQueue<>();
        final java.util.Set<OdsWriter> all = ConcurrentHashMap.newKeySet();

        Writers(Spec spec) {
            Configuration config = Configuration.empty().with(spec.config());
            this.database = OdsDatabase.connect(config, config.get(OdsSettings.POOL_SIZE));
            this.options = OdsSettings.writerOptions(config);
        }
    }

    private static final Map<Spec, Writers> BY_SPEC = new ConcurrentHashMap<>();

    private ExecutorOds() {
    }

    static <T> T with(Spec spec, Work<T> work) throws OdsUnavailableException {
        Writers writers = BY_SPEC.computeIfAbsent(spec, Writers::new);
        OdsWriter writer = writers.idle.poll();
        if (writer == null) {
            writer = new OdsWriter(writers.database.dataSource(), writers.options);
            writers.all.add(writer);
        }
        try {
            return work.run(writer);
        } finally {
            writers.idle.add(writer);
        }
    }

    /** Whether a writer in this JVM is waiting out an unreachable database. */
    static boolean waiting() {
        return BY_SPEC.values().stream().flatMap(w -> w.all.stream()).anyMatch(w -> w.retry().waiting() > 0);
    }

    /** Ends the waits for an unreachable database in this JVM (on stop): those tasks fail, nothing is acknowledged. */
    static void stopWaiting() {
        BY_SPEC.values().forEach(w -> w.all.forEach(OdsWriter::stop));
    }

    /** Closes the pools of this JVM (local mode, when the pipeline stops). */
    static void closeAll() {
        BY_SPEC.values().forEach(w -> w.database.close());
        BY_SPEC.clear();
    }
}
