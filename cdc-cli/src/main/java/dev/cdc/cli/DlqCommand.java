package dev.cdc.cli;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.MessageBus;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.PostgresSettings;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.dlq.DeadLetterStore;
import dev.cdc.ods.dlq.DeadLetterStore.StoredDeadLetter;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./cdc dlq}: dead letters in {@code cdc_dlq} (list, replay), and the ones still waiting outside it (the
 * broker's dead-letter queues and the consumers' spill files), which {@code drain} records into {@code cdc_dlq} and
 * {@code list --broker} shows without a database.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Lists, drains and replays dead letters.",
            "List them with their reasons, drain the broker's dead-letter queues into cdc_dlq, replay chosen ones"
                + " after a fix."},
        subcommands = {DlqCommand.List.class, DlqCommand.Drain.class, DlqCommand.Replay.class})
final class DlqCommand implements Runnable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    private static DeadLetterStore store(OdsDatabase db) {
        return new DeadLetterStore(db.dataSource());
    }

    private static OdsDatabase connect(Configuration c) {
        c.validate(PostgresSettings.ALL, java.util.List.of("postgres"));
        return OdsDatabase.connect(c, 1);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Shows dead letters (newest first) with their reasons; replayed ones only with --all.")
    static final class List implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Option(names = "--type", paramLabel = "TYPE",
                description = "only this error type: MALFORMED_JSON, MALFORMED_XML, UNSAFE_TYPE_CHANGE, INVALID_IDENTIFIER, MISSING_KEY, REJECTED_BY_DATABASE")
        String type;

        @CommandLine.Option(names = "--all", description = "also dead letters already replayed")
        boolean all;

        @CommandLine.Option(names = "--limit", defaultValue = "50", description = "at most this many (default ${DEFAULT-VALUE})")
        int limit;

        @CommandLine.Option(names = "--broker", description = "what waits outside cdc_dlq instead: the broker's dead-letter"
                + " queues (dlq.queues) and the consumers' spill files (dlq.spill-dir), taking nothing; needs no database")
        boolean broker;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
            if (broker) {
                return new DeadLetterQueues(config.load(), out, spec.commandLine().getErr()).list(type, limit);
            }
            try (OdsDatabase db = connect(config.load())) {
                java.util.List<StoredDeadLetter> letters = store(db).list(type, all, limit);
                if (letters.isEmpty()) {
                    out.println("no dead letters" + (type == null ? "" : " of type " + type));
                    return 0;
                }
                out.printf(Locale.ROOT, "%-6s %-20s %-7s %-19s %-40s %s%n", "id", "error", "retries", "last failed (UTC)",
                        "topic / key", "reason");
                for (StoredDeadLetter d : letters) {
                    out.printf(Locale.ROOT, "%-6d %-20s %-7d %-19s %-40s %s%s%n", d.id(), d.errorType(), d.retryCount(),
                            TIME.format(d.lastFailedAt()), d.topic() + " " + (d.messageKey() == null ? "" : d.messageKey()),
                            d.errorMessage(), d.replayedAt() == null ? "" : " (replayed " + TIME.format(d.replayedAt()) + ")");
                }
                return 0;
            }
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = "Records the dead letters waiting in the broker's dead-letter queues (dlq.queues) and the"
                    + " consumers' spill files (dlq.spill-dir) into cdc_dlq, acknowledging each only after it is"
                    + " recorded; a repeat adds nothing.")
    static final class Drain implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Option(names = "--batch-size", defaultValue = "500", paramLabel = "N",
                description = "dead letters recorded per transaction (default ${DEFAULT-VALUE})")
        int batchSize;

        @Override
        public Integer call() throws SQLException {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("--batch-size must be 1 to 10000, was " + batchSize);
            }
            Configuration c = config.load();
            try (OdsDatabase db = connect(c)) {
                return new DeadLetterQueues(c, spec.commandLine().getOut(), spec.commandLine().getErr())
                        .drain(db.dataSource(), batchSize);
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Sends chosen dead letters back to their original topics, unchanged, so the pipeline takes them again.")
    static final class Replay implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Option(names = "--id", split = ",", paramLabel = "ID", description = "dead letters by id (see dlq list)")
        java.util.List<Long> ids = new ArrayList<>();

        @CommandLine.Option(names = "--type", paramLabel = "TYPE", description = "every dead letter of this type not yet replayed")
        String type;

        /**
         * Why a recorded topic can't be published to, or null: a consumer that received a message without a topic
         * recorded the queue it read (with wildcards, {@code ADDRESS::QUEUE}), and producers can't send there.
         */
        static String notATopic(String topic) {
            if (topic.contains("::") || topic.contains("*") || topic.contains(">")) {
                return "is a queue address with wildcards, not a topic a producer can publish to (the message arrived"
                        + " without its topic); send its payload to the right cdc/oracle/SCHEMA/TABLE/op topic yourself";
            }
            if (topic.indexOf('/') < 0) {
                return "is a queue name, not a topic (the broker did not keep the topic it was published to);"
                        + " send its payload to the right cdc/oracle/SCHEMA/TABLE/op topic yourself";
            }
            return null;
        }

        @Override
        public Integer call() throws SQLException, BrokerException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (ids.isEmpty() == (type == null)) {
                throw new IllegalArgumentException("choose dead letters with --id or --type (one of them)");
            }
            Configuration c = config.load();
            c.validate(BrokerSettings.all(c), java.util.List.of("broker"));
            try (OdsDatabase db = connect(c)) {
                DeadLetterStore store = store(db);
                java.util.List<StoredDeadLetter> chosen = type != null ? store.list(type, false, Integer.MAX_VALUE) : store.byIds(ids);
                if (chosen.isEmpty()) {
                    out.println("nothing to replay");
                    return 0;
                }
                java.util.List<StoredDeadLetter> replayable = new ArrayList<>();
                for (StoredDeadLetter d : chosen) {
                    String refusal = notATopic(d.topic());
                    if (refusal == null) {
                        replayable.add(d);
                    } else {
                        err.printf(Locale.ROOT, "dlq replay: dead letter %d not replayed: its topic \"%s\" %s%n",
                                d.id(), d.topic(), refusal);
                    }
                }
                if (!replayable.isEmpty()) {
                    try (MessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(c))) {
                        for (StoredDeadLetter d : replayable) {
                            bus.publish(d.original());
                        }
                        bus.flush(Duration.ofSeconds(30));
                    }
                    store.markReplayed(replayable.stream().map(StoredDeadLetter::id).toList());
                }
                out.printf(Locale.ROOT, "replayed %d dead letter%s to their original topics%s%n", replayable.size(),
                        replayable.size() == 1 ? "" : "s", replayable.size() == chosen.size() ? ""
                                : "; " + (chosen.size() - replayable.size()) + " refused (see above)");
                return replayable.size() == chosen.size() ? 0 : 1;
            }
        }
    }
}
