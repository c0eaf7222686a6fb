package dev.cdc.bench.broker;

import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.DataDirectory;
import dev.cdc.infra.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Throughput of the broker adapter ({@link AmqpMessageBus}) against plain Qpid JMS on the same embedded broker in
 * the same run: persistent publish, and publish-to-consume (a consumer acknowledging each message while the
 * producer publishes). The adapter must reach {@value #BAR} of the raw figure in both.
 *
 * <p>One broker (fresh data directory, deleted at the end), one queue {@value #QUEUE} subscribing
 * {@value #SUBSCRIPTION}. After a warm-up, each round measures raw and adapter publish, then raw and adapter
 * publish-to-consume; the order within a pair alternates from round to round (raw first in odd rounds) so neither
 * side always runs on the broker state the other left. The queue is emptied between measurements. The medians
 * over rounds are compared, because the machines here are shared and noisy.
 *
 * <p>Both sides do the same work per message: a {@code BytesMessage} with the body, the string properties
 * {@code cdc_key} and {@code cdc_scn} and the {@code JMSXGroupID} the adapter derives from the key, sent
 * persistently and asynchronously on an anonymous producer with at most {@code inFlight} unconfirmed; consumers
 * use individual-acknowledge mode, {@code receive} and acknowledge each message, with the same prefetch.
 *
 * <p>This class is the measurement loop around the broker; the two {@code BrokerClient}s ({@code RawJmsClient},
 * {@code AdapterClient}) do the measured work and {@link BrokerReport} renders the {@link BrokerResult}.
 */
public final class BrokerBenchmark {

    public static final String TOPIC = "cdc/oracle/BENCH/T/insert";
    public static final String SUBSCRIPTION = "cdc/oracle/BENCH/>";
    public static final String QUEUE = "bench.q";
    /** The adapter's share of the raw throughput it must reach (the requirement). */
    public static final double BAR = 0.80;

    static final long QUOTA_BYTES = 1L << 30;
    static final long GLOBAL_MAX_BYTES = 1L << 30;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    /**
     * @param messages     messages per measurement
     * @param rounds       rounds (each measures all four)
     * @param warmup       messages of each kind sent before the rounds, not counted; negative for {@code messages}
     *                     (the first publish of a full measurement grows the broker's journal, which is not the
     *                     steady state)
     * @param messageBytes body size
     * @param inFlight     unconfirmed sends at once, for both sides (the adapter's endpoint gets the same)
     * @param prefetch     consumer prefetch, for both sides
     * @param dataParent   the broker's fresh data directory is created under it and deleted at the end
     * @param out          the JSON report; null for {@code <dataParent>/broker-<timestamp>.json}
     * @param progress     where progress lines go; null for none
     */
    public record Options(int messages, int rounds, int warmup, int messageBytes, int inFlight, int prefetch,
                          Path dataParent, Path out, PrintStream progress) {

        public Options {
            List<String> problems = new ArrayList<>();
            if (messages < 1) {
                problems.add("messages must be at least 1, was " + messages);
            }
            if (rounds < 1) {
                problems.add("rounds must be at least 1, was " + rounds);
            }
            if (messageBytes < 1) {
                problems.add("message size must be at least 1 byte, was " + messageBytes);
            }
            if (inFlight < 1) {
                problems.add("in-flight window must be at least 1, was " + inFlight);
            }
            if (prefetch < 1) {
                problems.add("prefetch must be at least 1, was " + prefetch);
            }
            if (dataParent == null) {
                problems.add("a data directory is needed");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
        }

        /** The defaults of every caller; {@code ./cdc bench broker} takes its flags' defaults from here. */
        public static Options defaults() {
            // 7 rounds: with 3, machine noise alone fails an adapter as fast as raw about 16% of the time (measured)
            return new Options(20_000, 7, -1, 1024, 1000, 1000, Path.of("data", "bench"), null, System.err);
        }

        public Options withMessages(int n) {
            return new Options(n, rounds, warmup, messageBytes, inFlight, prefetch, dataParent, out, progress);
        }

        public Options withRounds(int r) {
            return new Options(messages, r, warmup, messageBytes, inFlight, prefetch, dataParent, out, progress);
        }

        public Options withMessageBytes(int size) {
            return new Options(messages, rounds, warmup, size, inFlight, prefetch, dataParent, out, progress);
        }

        public Options withWarmup(int w) {
            return new Options(messages, rounds, w, messageBytes, inFlight, prefetch, dataParent, out, progress);
        }

        public Options withDataParent(Path dir) {
            return new Options(messages, rounds, warmup, messageBytes, inFlight, prefetch, dir, out, progress);
        }

        public Options withOut(Path file) {
            return new Options(messages, rounds, warmup, messageBytes, inFlight, prefetch, dataParent, file, progress);
        }

        public Options withProgress(PrintStream stream) {
            return new Options(messages, rounds, warmup, messageBytes, inFlight, prefetch, dataParent, out, stream);
        }

        /** The warm-up messages of each kind. */
        public int warmupMessages() {
            return warmup < 0 ? messages : warmup;
        }
    }

    // ---------------------------------------------------------------- the entry point

    /**
     * Runs the benchmark: starts the broker in a fresh directory under {@code dataParent}, measures, stops the
     * broker, deletes the directory and writes the JSON report.
     */
    public static BrokerResult run(Options options) throws Exception {
        LocalDateTime now = LocalDateTime.now();
        String stamp = now.format(STAMP);
        // absolute: Artemis resolves a relative journal directory against the broker instance directory (nesting it)
        Path dataDir = freshDirectory(options.dataParent(), "broker-" + stamp).toAbsolutePath();
        Path out = options.out() != null ? options.out()
                : options.dataParent().resolve(dataDir.getFileName() + ".json");
        BrokerResult result;
        try {
            result = new BrokerBenchmark(options, dataDir, OffsetDateTime.now().toString()).measureRounds();
        } finally {
            try {
                DataDirectory.delete(dataDir);
            } catch (IOException | UncheckedIOException e) {
                if (options.progress() != null) {
                    options.progress().println("[bench broker] could not delete " + dataDir + ": " + e);
                }
            }
        }
        result = result.withReportFile(out);
        BrokerReport.writeJson(result, out);
        BrokerReportPage.of(result).writeBesides(out);
        return result;
    }

    private static Path freshDirectory(Path parent, String name) throws IOException {
        Files.createDirectories(parent);
        Path dir = parent.resolve(name);
        for (int i = 2; Files.exists(dir); i++) {
            dir = parent.resolve(name + "-" + i);
        }
        return Files.createDirectory(dir);
    }

    // ---------------------------------------------------------------- the measuring

    private final Options options;
    private final Path dataDir;
    private final String started;
    private final List<String> warnings = new ArrayList<>();
    private final BenchMessages messages;

    private EmbeddedBroker broker;
    private String consumerAddress;
    private JmsConnectionFactory rawFactory;
    private RawJmsClient raw;
    private AdapterClient adapter;

    private BrokerBenchmark(Options options, Path dataDir, String started) {
        this.options = options;
        this.dataDir = dataDir;
        this.started = started;
        this.messages = new BenchMessages(options.messageBytes());
    }

    /** One run against one broker: starts it and both clients, warms up, measures the rounds, stops them all. */
    private BrokerResult measureRounds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        progress("starting the embedded broker on 127.0.0.1:%d (data in %s)", port, dataDir);
        broker = EmbeddedBroker.start("127.0.0.1", port, dataDir, GLOBAL_MAX_BYTES);
        try {
            QueueSpec spec = new QueueSpec(QUEUE, List.of(TopicSubscription.parse(SUBSCRIPTION)), 5, QUEUE + ".dlq", QUOTA_BYTES);
            broker.provision(spec);
            consumerAddress = ArtemisSubscriptions.consumerAddress(spec);

            rawFactory = new JmsConnectionFactory("amqp://127.0.0.1:" + port);
            raw = new RawJmsClient(rawFactory, consumerAddress, options.inFlight(), messages);
            adapter = new AdapterClient(port, options.inFlight(), options.prefetch(), consumerAddress, messages);

            if (options.warmupMessages() > 0) {
                for (Kind k : Kind.values()) {
                    Measurement measured = measure(k, options.warmupMessages());
                    progress("warm-up   %-16s %-8s %s", k.what(), k.side(), describe(measured));
                }
            }
            List<Round> rounds = new ArrayList<>();
            for (int r = 1; r <= options.rounds(); r++) {
                boolean rawFirst = r % 2 == 1;
                Map<Kind, Measurement> m = new EnumMap<>(Kind.class);
                List<Kind> order = rawFirst
                        ? List.of(Kind.RAW_PUBLISH, Kind.ADAPTER_PUBLISH, Kind.RAW_PUBLISH_CONSUME, Kind.ADAPTER_PUBLISH_CONSUME)
                        : List.of(Kind.ADAPTER_PUBLISH, Kind.RAW_PUBLISH, Kind.ADAPTER_PUBLISH_CONSUME, Kind.RAW_PUBLISH_CONSUME);
                for (Kind k : order) {
                    Measurement measured = measure(k, options.messages());
                    m.put(k, measured);
                    progress("round %d/%d %-16s %-8s %s", r, options.rounds(), k.what(), k.side(), describe(measured));
                }
                rounds.add(new Round(r, rawFirst, m));
            }
            return new BrokerResult(options.messages(), options.messageBytes(), options.warmupMessages(), options.inFlight(),
                    options.prefetch(), started, rounds, environment(), warnings, null);
        } finally {
            closeQuietly();
        }
    }

    /** Measures one kind on an empty queue, then empties the queue, warning when it held what it should not. */
    private Measurement measure(Kind kind, int n) throws Exception {
        settle();
        BrokerClient client = kind.raw() ? raw : adapter;
        Measurement m = kind.consumes() ? client.publishConsume(n) : client.publish(n);
        boolean consumed = kind.consumes();
        // the last acknowledgements are fire-and-forget: give the broker a moment before counting leftovers
        long left = consumed ? awaitEmpty(Duration.ofSeconds(10)) : broker.depth(QUEUE);
        int drained = drain();
        if (consumed && drained > 0) {
            warnings.add(kind.json() + ": " + drained + " messages were left in the queue after all " + n + " were acknowledged");
        } else if (!consumed && drained != n) {
            warnings.add(kind.json() + ": published " + n + " but drained " + drained + " (queue depth was " + left + ")");
        }
        return m;
    }

    /** Same starting point for every measurement: a collected heap and an empty queue. */
    private void settle() {
        System.gc();
        long depth = broker.depth(QUEUE);
        if (depth != 0) {
            throw new IllegalStateException("queue " + QUEUE + " holds " + depth + " messages before a measurement");
        }
    }

    // -- the queue between measurements

    /** Waits for the broker to process the last acknowledgements; returns what is still queued after {@code timeout}. */
    private long awaitEmpty(Duration timeout) {
        try {
            return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
                    .until(() -> broker.depth(QUEUE), depth -> depth == 0);
        } catch (ConditionTimeoutException e) {
            return broker.depth(QUEUE);
        }
    }

    /** Empties the queue (untimed); the number of messages taken. */
    private int drain() throws Exception {
        if (broker.depth(QUEUE) == 0) {
            return 0;
        }
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int count = 0;
        Connection c = rawFactory.createConnection();
        try {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(consumerAddress));
            Message unacked = null;
            while (true) {
                Message m = consumer.receive(200);
                if (m != null) {
                    count++;
                    unacked = m;
                    if (count % 500 == 0) {
                        m.acknowledge();
                        unacked = null;
                    }
                    continue;
                }
                if (unacked != null) {
                    unacked.acknowledge();
                    unacked = null;
                }
                if (awaitEmpty(Duration.ofMillis(500)) == 0) {
                    return count;
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("could not empty queue " + QUEUE + ": " + broker.depth(QUEUE) + " left");
                }
            }
        } finally {
            c.close();
        }
    }

    // -- what the report says about the run

    private Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java_version", System.getProperty("java.version"));
        env.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        env.put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
        env.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("broker", "embedded Artemis " + artemisVersion() + " (NIO journal, datasync) over AMQP 1.0");
        env.put("client", "Qpid JMS " + qpidVersion());
        env.put("raw_uri", "amqp://127.0.0.1:<port>");
        env.put("adapter_uri", "failover:(amqp://127.0.0.1:<port>)?... (AmqpEndpoint.local)");
        return env;
    }

    private static String artemisVersion() {
        try {
            return org.apache.activemq.artemis.utils.VersionLoader.getVersion().getFullVersion();
        } catch (RuntimeException | LinkageError e) {
            return "?";
        }
    }

    private static String qpidVersion() {
        try {
            return org.apache.qpid.jms.util.MetaDataSupport.PROVIDER_VERSION;
        } catch (RuntimeException | LinkageError e) {
            return "?";
        }
    }

    private void progress(String format, Object... args) {
        if (options.progress() != null) {
            options.progress().println(LocalDateTime.now().format(CLOCK) + " [bench broker] " + String.format(Locale.ROOT, format, args));
        }
    }

    private static String describe(Measurement m) {
        return String.format(Locale.ROOT, "%,9.0f msgs/s  (%,6d ms, process CPU %.0f µs/msg)", m.perSecond(),
                m.nanos() / 1_000_000, m.processCpuMicrosPerMessage());
    }

    private void closeQuietly() {
        List<Exception> problems = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {adapter, raw, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                problems.add(e);
            }
        }
        for (Exception e : problems) {
            progress("while closing: %s", e);
        }
    }
}
