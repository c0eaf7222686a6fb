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

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Dead letters: list them with their reasons, replay chosen ones after a fix.",
        subcommands = {DlqCommand.List.class, DlqCommand.Replay.class})
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

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
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

        @Override
        public Integer call() throws SQLException, BrokerException {
            PrintWriter out = spec.commandLine().getOut();
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
                try (MessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(c))) {
                    for (StoredDeadLetter d : chosen) {
                        bus.publish(d.original());
                    }
                    bus.flush(Duration.ofSeconds(30));
                }
                store.markReplayed(chosen.stream().map(StoredDeadLetter::id).toList());
                out.printf(Locale.ROOT, "replayed %d dead letter%s to their original topics%n", chosen.size(),
                        chosen.size() == 1 ? "" : "s");
                return 0;
            }
        }
    }
}
