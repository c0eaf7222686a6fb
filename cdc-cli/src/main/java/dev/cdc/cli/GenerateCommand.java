package dev.cdc.cli;

import dev.cdc.common.event.TableId;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.OperationMix;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import dev.cdc.generator.schema.DecimalMode;
import dev.cdc.generator.schema.SalesSchema;
import dev.cdc.broker.BrokerException;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.metrics.MetricsServer;
import dev.cdc.generator.output.BrokerSink;
import dev.cdc.generator.output.MeteredSink;
import dev.cdc.generator.output.JsonLinesSink;
import dev.cdc.generator.output.MessageSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulates the Debezium Oracle connector on schema SALES: a snapshot, then changes in transactions.",
            "Writes one broker message per line (topic, properties, body) with --out, and the source truth with --truth."},
        footer = {"", "Examples:",
            "  ./cdc generate --events 10000 --out data/events.jsonl --truth data/truth",
            "  ./cdc generate --duration 5m --clock wall --truth data/truth      (publishes to the broker of configs/cdc.yaml)",
            "  ./cdc generate --rate max --events 1000000 --out data/big.jsonl",
            "  ./cdc generate --duration 2m --rate 200/s --scenario schema,xml,F6 --out data/s.jsonl --truth data/t"})
final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rate", paramLabel = "RATE", defaultValue = "${EVENTS_PER_MINUTE:-5000/min}",
            description = "N/min, N/s or max; a bare number is per minute (default: $EVENTS_PER_MINUTE or ${DEFAULT-VALUE})")
    String rate;

    @Option(names = "--events", paramLabel = "N", description = "stop after N messages")
    Long events;

    @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
            description = "stop after this long: 90s, 5m, 1h or ISO-8601 (PT5M)")
    Duration duration;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "same seed and flags give the same events (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.jsonl",
            description = "write messages to this file (one JSON object per line) instead of publishing them to the broker")
    Path out;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--truth", paramLabel = "DIR", description = "write the source truth here at the end (see docs/truth-format.md)")
    Path truth;

    @Option(names = "--decimal-mode", paramLabel = "MODE", defaultValue = "precise",
            description = "precise, double or string: Debezium's decimal.handling.mode (default: ${DEFAULT-VALUE})")
    String decimalMode;

    @Option(names = "--scenario", paramLabel = "NAME[,NAME...]",
            description = "scenarios to play after the snapshot: S1-S6, X1-X8, F6, F10, their names, or schema, xml, all")
    String scenarios;

    @Option(names = "--tables", paramLabel = "TABLE[,TABLE...]",
            description = "capture only these tables (default: ORDERS, ORDER_ITEMS, CUSTOMERS, PRODUCTS, AUDIT_LOG)")
    String tables;

    @Option(names = "--shares", paramLabel = "TABLE=PCT[,...]",
            description = "share of change events per table, e.g. ORDERS=40,ORDER_ITEMS=40,CUSTOMERS=10,PRODUCTS=8,AUDIT_LOG=2")
    String shares;

    @Option(names = "--op-mix", paramLabel = "TABLE=I/U/D[,...]",
            description = "insert/update/delete percentages per table, e.g. ORDERS=70/25/5")
    String mixes;

    @Option(names = "--snapshot", paramLabel = "N", defaultValue = "100",
            description = "orders in the initial snapshot, with half as many customers and products (default: ${DEFAULT-VALUE})")
    int snapshotOrders;

    @Option(names = "--clock", paramLabel = "CLOCK",
            description = "simulated (deterministic commit times) or wall (real time, for latency); "
                    + "default: simulated with --out, wall when publishing")
    String clock;

    @Option(names = "--quiet", description = "no progress lines on stderr")
    boolean quiet;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9467",
            description = "while publishing, serve Prometheus metrics on 127.0.0.1:PORT/metrics (events by table and"
                    + " op, bytes, send errors, send time); 0 takes a free one (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Override
    public Integer call() throws IOException {
        GeneratorConfig generatorConfig = generatorConfig();
        PrintWriter err = spec.commandLine().getErr();
        MessageSink sink;
        MetricsServer metricsServer = null;
        try {
            if (truth != null) {
                Files.createDirectories(truth);
                if (!Files.isWritable(truth)) {
                    throw new IOException("not writable");
                }
            }
        } catch (IOException e) {
            err.println("cdc generate: cannot write --truth " + truth + ": " + reason(e));
            return Cdc.BAD_INPUT;
        }
        if (truth != null) { // the truth predicts the alerts Architecture B is configured to raise
            generatorConfig = generatorConfig.toBuilder().alerts(alertRules()).build();
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0 to 65535, was " + metricsPort);
        }
        String destination;
        if (out != null) {
            try {
                sink = JsonLinesSink.open(out);
            } catch (IOException e) {
                err.println("cdc generate: cannot write --out " + out + ": " + reason(e));
                return Cdc.BAD_INPUT;
            }
            destination = out.toString();
        } else {
            Configuration configuration = config.load();
            configuration.validate(BrokerSettings.all(configuration), List.of("broker"));
            AmqpEndpoint endpoint = BrokerSettings.endpoint(configuration);
            MeteredSink metered;
            try {
                metered = new MeteredSink(new BrokerSink(AmqpMessageBus.connect(endpoint)));
                sink = metered;
            } catch (BrokerException e) {
                err.println("cdc generate: " + e.getMessage() + " (is ./cdc infra running?)");
                return 1;
            }
            destination = endpoint.toString();
            try {
                metricsServer = MetricsServer.start("127.0.0.1", metricsPort, metered::scrape);
                if (!quiet) {
                    err.println("generate: Prometheus metrics on " + metricsServer.url());
                }
            } catch (IOException e) {
                err.println("cdc generate: no metrics endpoint: " + e.getMessage() + " (--metrics-port)");
            }
        }
        GeneratorRun.Progress progress = quiet ? null : (sent, bytes, elapsed) -> err.printf(Locale.ROOT,
                "generate: %,d events, %,.0f events/s, %s written%n", sent, sent / (elapsed.toNanos() / 1e9), size(bytes));
        // Ctrl-C ends the run between transactions: the file is closed and the truth covers what was sent.
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "generate-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        GeneratorRun.Summary s;
        try {
            s = GeneratorRun.run(generatorConfig, sink, truth, progress, stop::get);
        } catch (IOException e) {
            err.println("cdc generate: sending failed, run stopped: " + e.getMessage());
            return 1;
        } finally {
            finished.countDown();
            if (metricsServer != null) {
                metricsServer.close();
            }
        }
        if (!stop.get()) {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        }
        err.flush();
        spec.commandLine().getOut().printf(Locale.ROOT,
                "generated %,d events in %.1f s (%,.0f events/s), 0 send errors, %,d duplicates, %,d expected dead letters, %s -> %s%s%n",
                s.events(), s.elapsed().toNanos() / 1e9, s.eventsPerSecond(), s.duplicates(), s.deadLetters(),
                size(s.bytes()), destination, truth == null ? "" : ", truth -> " + truth);
        return 0;
    }

    /** The configured alert rules; none when there is no configuration file and none was asked for. */
    private AlertRules alertRules() {
        if (config.file == null && !Files.exists(ConfigOption.home().resolve("configs/cdc.yaml"))) {
            return AlertRules.none();
        }
        return AlertRules.load(config.load());
    }

    GeneratorConfig generatorConfig() {
        String clockName = clock != null ? clock : out != null ? "simulated" : "wall";
        GeneratorConfig.Builder b = GeneratorConfig.builder()
                .rate(parse("--rate", () -> Rate.parse(rate)))
                .events(events)
                .duration(duration)
                .seed(seed)
                .decimalMode(parse("--decimal-mode", () -> DecimalMode.parse(decimalMode)))
                .snapshotOrders(snapshotOrders)
                .clock(parse("--clock", () -> switch (clockName.toLowerCase(Locale.ROOT)) {
                    case "simulated" -> GeneratorConfig.ClockMode.SIMULATED;
                    case "wall" -> GeneratorConfig.ClockMode.WALL;
                    default -> throw new IllegalArgumentException("invalid clock \"" + clockName + "\"; expected simulated or wall");
                }));
        if (scenarios != null) {
            b.scenarios(parse("--scenario", () -> Scenario.parseList(scenarios)));
        }
        if (tables != null) {
            Set<TableId> set = new LinkedHashSet<>();
            for (String t : tables.split(",")) {
                set.add(parse("--tables", () -> SalesSchema.table(t.trim()).id()));
            }
            b.tables(set);
        }
        if (shares != null) {
            b.shares(shares(shares));
        }
        if (mixes != null) {
            b.mixes(mixes(mixes));
        }
        return b.build();
    }

    /** {@code --shares}: {@code TABLE=PCT[,...]}. */
    static Map<TableId, Integer> shares(String text) {
        return perTable("--shares", text, v -> {
            int pct = Integer.parseInt(v);
            if (pct < 0 || pct > 100) {
                throw new IllegalArgumentException("a share is a percentage 0-100, was " + v);
            }
            return pct;
        });
    }

    /** {@code --op-mix}: {@code TABLE=I/U/D[,...]}. */
    static Map<TableId, OperationMix> mixes(String text) {
        return perTable("--op-mix", text, OperationMix::parse);
    }

    private static <V> Map<TableId, V> perTable(String flag, String text, java.util.function.Function<String, V> value) {
        Map<TableId, V> map = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(flag + ": expected TABLE=VALUE, was \"" + part.trim() + "\"");
            }
            TableId table = parse(flag, () -> SalesSchema.table(part.substring(0, eq).trim()).id());
            map.put(table, parse(flag, () -> value.apply(part.substring(eq + 1).trim())));
        }
        return map;
    }

    /** Runs a parse step, prefixing its error with the flag it came from. */
    private static <T> T parse(String flag, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a number (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }

    /** "AccessDenied: /x" reads better than the bare path NIO gives as the message. */
    private static String reason(IOException e) {
        String type = e.getClass().getSimpleName().replace("Exception", "");
        return type.equals("IO") ? String.valueOf(e.getMessage()) : type + ": " + e.getMessage();
    }

    static String size(long bytes) {
        return bytes >= 1 << 30 ? String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1 << 30))
                : bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20))
                : String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
}
