package dev.cdc.cli;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.MessageBus;
import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.QueueSnapshot;
import dev.cdc.broker.QueueUsage;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.dlq.DeadLetterSpill;
import dev.cdc.common.dlq.DlqSettings;
import dev.cdc.ods.dlq.DeadLetterStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The dead letters that wait outside {@code cdc_dlq}: in the broker's dead-letter queues ({@code dlq.queues}: the
 * dead letters consumers publish, and the broker's dead-message queue) and in the consumers' spill files
 * ({@code dlq.spill-dir}, where Architecture B keeps what a full dead-letter queue refused). {@code ./cdc dlq drain}
 * records them into {@code cdc_dlq} and only then acknowledges them (or empties the spill file), one transaction per
 * batch: a drain that dies half-way loses nothing, and a repeat adds nothing (the fingerprint). {@code ./cdc dlq list
 * --broker} shows them, taking nothing. Internal to the CLI.
 */
final class DeadLetterQueues {

    /** How long an empty queue is waited on before the drain counts it as drained. */
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private final Configuration config;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, Long> quotas;

    DeadLetterQueues(Configuration config, PrintWriter out, PrintWriter err) {
        List<dev.cdc.common.config.Setting<?>> settings = new ArrayList<>(BrokerSettings.all(config));
        settings.addAll(DlqSettings.ALL);
        config.validate(settings, List.of("broker", "queues", "dlq"));
        this.config = config;
        this.out = out;
        this.err = err;
        this.quotas = BrokerSettings.queues(config).stream()
                .collect(Collectors.toMap(QueueSpec::name, QueueSpec::quotaBytes));
    }

    private List<String> queues() {
        return config.get(DlqSettings.QUEUES);
    }

    private Path spillDir() {
        return ConfigOption.home().resolve(config.get(DlqSettings.SPILL_DIR)).normalize();
    }

    /** {@code list --broker}: each queue's depth against its quota (with the alert), its first dead letters, the spill. */
    int list(String type, int limit) {
        try (MessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(config))) {
            for (String queue : queues()) {
                QueueSnapshot snapshot = bus.browse(queue, limit);
                QueueUsage usage = usage(queue, snapshot);
                out.println(usage.describe());
                alert(usage);
                show(snapshot.first().stream()
                        .map(m -> DeadLetter.fromBrokerMessage(m, DlqSettings.queueName(queue), Instant.now()))
                        .toList(), snapshot.messages(), type, limit);
            }
        } catch (BrokerException e) {
            err.println("dlq list: " + firstLine(e));
            return 1;
        }
        try {
            List<DeadLetter> spilled = new ArrayList<>();
            List<Path> files = DeadLetterSpill.files(spillDir());
            for (Path file : files) {
                spilled.addAll(DeadLetterSpill.read(file));
            }
            out.printf(Locale.ROOT, "spill files in %s: %d dead letter%s in %d file%s%n", spillDir(), spilled.size(),
                    spilled.size() == 1 ? "" : "s", files.size(), files.size() == 1 ? "" : "s");
            show(spilled, spilled.size(), type, limit);
        } catch (java.io.IOException e) {
            err.println("dlq list: reading the spill files in " + spillDir() + " failed: " + firstLine(e));
            return 1;
        }
        return 0;
    }

    private void show(List<DeadLetter> letters, long count, String type, int limit) {
        List<DeadLetter> shown = letters.stream().filter(d -> type == null || d.errorType().name().equals(type))
                .limit(limit).toList();
        for (DeadLetter d : shown) {
            String key = d.original().property(dev.cdc.common.event.MessageProperties.KEY);
            out.printf(Locale.ROOT, "  %-26s %-20s %-40s %s%n", d.errorType(), d.failedAt(),
                    d.original().topic() + " " + (key == null ? "" : key), d.errorMessage());
        }
        if (count > shown.size() && type == null) {
            out.printf(Locale.ROOT, "  ... and %d more%n", count - shown.size());
        }
    }

    private QueueUsage usage(String queue, QueueSnapshot snapshot) {
        String name = DlqSettings.queueName(queue);
        return new QueueUsage(name, snapshot.messages(), snapshot.bytes(), quotas.getOrDefault(name, 0L));
    }

    private void alert(QueueUsage usage) {
        String alert = usage.alert();
        if (alert != null) {
            err.println(alert);
        }
    }

    /**
     * {@code drain}: every queue (what it held when the drain reached it), then every spill file; exit code 0, or 1
     * with one line saying what stopped it.
     */
    int drain(DataSource ods, int batchSize) {
        long total = 0;
        try (MessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(config))) {
            for (String queue : queues()) {
                QueueSnapshot before = bus.browse(queue, 0);
                alert(usage(queue, before));
                total += drainQueue(bus, queue, before.messages(), ods, batchSize);
            }
        } catch (BrokerException e) {
            err.println("dlq drain: " + firstLine(e) + "; what was recorded is acknowledged, the rest waits on the"
                    + " broker: run it again");
            return 1;
        } catch (SQLException e) {
            err.println("dlq drain: recording into cdc_dlq failed: " + firstLine(e) + "; nothing unrecorded was"
                    + " acknowledged: run it again");
            return 1;
        }
        try {
            for (Path file : DeadLetterSpill.files(spillDir())) {
                int[] added = new int[1];
                int drained = DeadLetterSpill.drain(file, letters -> added[0] = record(ods, letters));
                if (drained > 0) {
                    out.printf(Locale.ROOT, "%s: %d dead letter%s drained (%d new in cdc_dlq)%n", file, drained,
                            drained == 1 ? "" : "s", added[0]);
                }
                total += drained;
            }
        } catch (Exception e) {
            err.println("dlq drain: draining the spill files in " + spillDir() + " failed: " + firstLine(e)
                    + "; a file is emptied only after its dead letters are recorded: run it again");
            return 1;
        }
        out.printf(Locale.ROOT, "drained %d dead letter%s into cdc_dlq%n", total, total == 1 ? "" : "s");
        return 0;
    }

    private long drainQueue(MessageBus bus, String queue, long expected, DataSource ods, int batchSize)
            throws BrokerException, SQLException {
        String name = DlqSettings.queueName(queue);
        long drained = 0;
        long added = 0;
        long lastProgress = System.nanoTime();
        try (QueueConsumer consumer = bus.consume(queue, batchSize)) {
            // what the queue held at the start: consumers publishing meanwhile can't keep a drain going forever
            while (drained < expected) {
                List<ReceivedMessage> batch = new ArrayList<>();
                ReceivedMessage m = consumer.receive(IDLE);
                while (m != null) {
                    batch.add(m);
                    m = batch.size() < batchSize ? consumer.receive(Duration.ofMillis(100)) : null;
                }
                if (batch.isEmpty()) {
                    break;
                }
                Instant now = Instant.now();
                added += record(ods, batch.stream()
                        .map(r -> DeadLetter.fromBrokerMessage(r.message(), name, now)).toList());
                // acknowledged only once cdc_dlq holds them: a crash before this redelivers them, and the fingerprint
                // makes the repeat add nothing
                consumer.acknowledge(batch);
                drained += batch.size();
                if (System.nanoTime() - lastProgress > PROGRESS_EVERY.toNanos()) {
                    out.printf(Locale.ROOT, "%s: %,d of about %,d drained%n", name, drained, expected);
                    out.flush();
                    lastProgress = System.nanoTime();
                }
            }
        }
        out.printf(Locale.ROOT, "%s: %d dead letter%s drained (%d new in cdc_dlq)%n", name, drained,
                drained == 1 ? "" : "s", added);
        return drained;
    }

    /** A failure in one line (PostgreSQL adds a "Where:" line to its messages). */
    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private static int record(DataSource ods, List<DeadLetter> letters) throws SQLException {
        try (Connection c = ods.getConnection()) {
            try {
                int added = DeadLetterStore.recordIfAbsent(c, letters);
                c.commit();
                return added;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
