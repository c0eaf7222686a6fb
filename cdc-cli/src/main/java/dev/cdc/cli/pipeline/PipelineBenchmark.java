package dev.cdc.cli.pipeline;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cdc.bench.broker.BrokerBenchmark;
import dev.cdc.bench.broker.BrokerResult;
import dev.cdc.bench.broker.Kind;
import dev.cdc.bench.report.HtmlReport;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.event.TableId;
import dev.cdc.common.progress.ConsumerProgress;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.OperationMix;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.Rate;
import dev.cdc.generator.output.MessageList;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * A pipeline's speed on this machine, everything on it at once (broker, target, generator, consumer): the latency
 * of changes at the seed's 5,000 events/min (source commit to ODS commit for Spark, to the REST API's acceptance for
 * Flink), and the highest rate at which the
 * queue's lag stays bounded, next to the raw broker round trip (plain Qpid JMS publish-to-consume of messages the
 * size of the generated events) measured in the same run.
 */
public final class PipelineBenchmark {

    /**
     * @param rates sustained rates to try, in order, while the pipeline holds them
     * @param searchSteps steps after those to find the highest rate held ({@link RateSearch})
     * @param step how long each rate runs
     */
    public record Options(Duration warmup, Duration latencyRun, List<Rate> rates, int searchSteps, Duration step,
                          int rawRounds, Workload workload, Path dir, Path out) {
    }

    /**
     * What the generator plays, where it differs from its defaults (empty maps: the defaults). The product and
     * customer updates are what fan out in the join: every order holding the row is recomputed.
     */
    public record Workload(Map<TableId, Integer> shares, Map<TableId, OperationMix> mixes) {

        public static final Workload DEFAULT = new Workload(Map.of(), Map.of());

        public Workload {
            shares = Map.copyOf(shares);
            mixes = Map.copyOf(mixes);
        }

        GeneratorConfig.Builder applyTo(GeneratorConfig.Builder b) {
            if (!shares.isEmpty()) {
                b.shares(shares);
            }
            if (!mixes.isEmpty()) {
                b.mixes(mixes);
            }
            return b;
        }

        Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> s = new TreeMap<>();
            shares.forEach((t, v) -> s.put(t.toString(), v));
            Map<String, Object> m = new TreeMap<>();
            mixes.forEach((t, v) -> m.put(t.toString(), v.insert() + "/" + v.update() + "/" + v.delete()));
            out.put("shares", s.isEmpty() ? "default" : s);
            out.put("op_mix", m.isEmpty() ? "default" : m);
            return out;
        }
    }

    /**
     * One sustained rate: what the generator achieved and how the lag moved; {@code samples} about every second, for
     * the report's charts.
     */
    public record Step(double targetPerSecond, double publishedPerSecond, double consumedPerSecond, long lagAtMiddle,
                       long lagAtEnd, long publishedSecondHalf, boolean bounded, boolean generatorLimited,
                       List<Sample> samples) {

        public Step {
            samples = List.copyOf(samples);
        }

        /** The verdict in words. */
        public String verdict() {
            return bounded ? "bounded" : generatorLimited ? "generator could not keep up" : "growing";
        }

        RateSearch.Outcome outcome() {
            return new RateSearch.Outcome(targetPerSecond, bounded, generatorLimited, consumedPerSecond);
        }
    }

    /**
     * The queue and the consumer at one moment of a step: {@code seconds} since the step started, events published
     * so far, the queue's lag, and for Spark where its last batch's time went (-1 where the engine does not say).
     */
    public record Sample(double seconds, long published, long lag, long batchMillis, long applyMillis,
                         long recomputeMillis, long driverMillis) {

        static Sample of(double seconds, long published, long lag, ConsumerProgress progress) {
            ConsumerProgress.Batches b = progress == null ? null : progress.batches();
            return b == null ? new Sample(seconds, published, lag, -1, -1, -1, -1)
                    : new Sample(seconds, published, lag, b.lastMillis(), b.applyMillis(), b.recomputeMillis(),
                            b.driverMillis());
        }
    }

    /** @param latencies every change latency of the latency run, in ms */
    public record Result(ConsumerProcess architecture, double rawRoundTrip, int messageBytes, Histogram latencies,
                         List<Step> steps, Workload workload, Path report) {

        public long p50() {
            return latencies.getValueAtPercentile(50);
        }

        public long p99() {
            return latencies.getValueAtPercentile(99);
        }

        public long max() {
            return latencies.getMaxValue();
        }

        public long changes() {
            return latencies.getTotalCount();
        }

        /** DESIGN section 9: Spark p99 under 2 s, Flink under 500 ms. */
        public long latencyBar() {
            return architecture.latencyBarMillis();
        }

        public double sustained() {
            return steps.stream().filter(Step::bounded).mapToDouble(Step::publishedPerSecond).max().orElse(0);
        }

        public boolean passed() {
            return p99() < latencyBar() && sustained() >= 0.4 * rawRoundTrip;
        }

        public String table() {
            StringBuilder t = new StringBuilder();
            t.append(architecture.title()).append(" on this machine:").append(System.lineSeparator());
            if (!workload.equals(Workload.DEFAULT)) {
                t.append("  workload: ").append(workload.json()).append(System.lineSeparator());
            }
            t.append(String.format(Locale.ROOT, "  latency at 5,000 events/min, source commit to %s: p50 %,d ms,"
                    + " p99 %,d ms (bar %,d), max %,d ms over %,d changes%n", architecture.appliedAt(),
                    p50(), p99(), latencyBar(), max(), changes()));
            for (Step s : steps) {
                t.append(String.format(Locale.ROOT, "  %,7.0f events/s asked, %,7.0f published, %,7.0f consumed: lag %,d"
                                + " at half time, %,d at the end: %s%n", s.targetPerSecond(), s.publishedPerSecond(),
                        s.consumedPerSecond(), s.lagAtMiddle(), s.lagAtEnd(), s.verdict()));
            }
            t.append(String.format(Locale.ROOT, "  sustained %,.0f events/s; raw broker round trip (%d-byte messages) %,.0f"
                    + " msg/s; ratio %.2f (bar 0.40)%n", sustained(), messageBytes, rawRoundTrip,
                    sustained() / rawRoundTrip));
            t.append("  ").append(passed() ? "PASS" : "FAIL").append("; report: ").append(report).append(System.lineSeparator());
            t.append("  charts: ").append(HtmlReport.besides(report)).append(System.lineSeparator());
            return t.toString();
        }
    }

    private PipelineBenchmark() {
    }

    public static Result run(ConsumerProcess architecture, Configuration config, Path home, Path configFile,
                             Options options, PrintStream progress)
            throws Exception {
        int messageBytes = averageEventBytes();
        progress.printf(Locale.ROOT, "bench pipeline: raw broker round trip, %d-byte messages, %d rounds%n",
                messageBytes, options.rawRounds());
        BrokerResult raw = BrokerBenchmark.run(BrokerBenchmark.Options.defaults().withRounds(options.rawRounds())
                .withMessageBytes(messageBytes).withDataParent(options.dir()).withOut(options.dir().resolve("broker.json"))
                .withProgress(progress));
        double rawRoundTrip = raw.median(Kind.RAW_PUBLISH_CONSUME);

        List<Step> steps = new ArrayList<>();
        Histogram latency;
        try (PipelineRun run = PipelineRun.start(architecture, config, home, options.dir().resolve("run"), configFile)) {
            progress.println("bench pipeline: latency at 5,000 events/min (" + options.warmup() + " warm-up, then "
                    + options.latencyRun() + ")");
            runAt(run, Rate.parse("5000/min"), options.warmup(), 1, options.workload(), progress);
            run.resetLatencies();
            runAt(run, Rate.parse("5000/min"), options.latencyRun(), 2, options.workload(), progress);
            latency = run.latencies();
            long seed = 3;
            RateSearch search = new RateSearch(options.rates().stream().map(Rate::perSecond).toList(),
                    options.searchSteps());
            for (var next = search.next(List.of()); next.isPresent();
                 next = search.next(steps.stream().map(Step::outcome).toList())) {
                Rate rate = new Rate(next.get());
                Step step = runAt(run, rate, options.step(), seed++, options.workload(), progress);
                steps.add(step);
                progress.printf(Locale.ROOT, "bench pipeline: %s -> %s (consumed %,.0f/s)%n", rate, step.verdict(),
                        step.consumedPerSecond());
            }
        }
        Path report = options.out() != null ? options.out()
                : options.dir().resolve("pipeline-" + architecture.label() + "-" + Instant.now().toString().replace(':', '-') + ".json");
        Result result = new Result(architecture, rawRoundTrip, messageBytes, latency, steps, options.workload(), report);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "pipeline-" + architecture.label());
        json.put("raw_round_trip_msgs_per_s", rawRoundTrip);
        json.put("message_bytes", messageBytes);
        json.put("workload", options.workload().json());
        Map<String, Object> latencyJson = new LinkedHashMap<>();
        latencyJson.put("p50", result.p50());
        latencyJson.put("p90", latency.getValueAtPercentile(90));
        latencyJson.put("p99", result.p99());
        latencyJson.put("p99_9", latency.getValueAtPercentile(99.9));
        latencyJson.put("max", result.max());
        latencyJson.put("changes", result.changes());
        json.put("latency_ms", latencyJson);
        json.put("steps", steps);
        json.put("sustained_events_per_s", result.sustained());
        json.put("ratio", result.sustained() / rawRoundTrip);
        json.put("passed", result.passed());
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, DebeziumJsonCodec.mapper().writer().with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json));
        PipelineReportPage.of(result).writeBesides(report);
        return result;
    }

    /** Runs the generator at {@code rate} for {@code duration}, then waits for the queue to drain. */
    private static Step runAt(PipelineRun run, Rate rate, Duration duration, long seed, Workload workload,
                              PrintStream progress)
            throws Exception {
        GeneratorConfig generator = workload.applyTo(GeneratorConfig.builder()).seed(seed).rate(rate)
                .duration(duration).snapshotOrders(0).clock(GeneratorConfig.ClockMode.WALL).build();
        AtomicLong published = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        Thread generating = run.publish(generator, null, published, failure);
        long half = started + duration.toNanos() / 2;
        long lagAtMiddle = -1;
        long publishedAtMiddle = 0;
        List<Sample> samples = new ArrayList<>();
        long nextLine = started;
        while (generating.isAlive()) {
            generating.join(1_000);
            long now = System.nanoTime();
            long lag = run.lag();
            samples.add(Sample.of((now - started) / 1e9, published.get(), lag, run.progress()));
            if (lagAtMiddle < 0 && now >= half) {
                lagAtMiddle = lag;
                publishedAtMiddle = published.get();
            }
            if (now >= nextLine) {
                progress.printf(Locale.ROOT, "bench pipeline: %s, published %,d, lag %,d%n", rate, published.get(), lag);
                nextLine = now + 5_000_000_000L;
            }
            if (!run.consumerAlive()) {
                throw new IllegalStateException("the " + run.architecture().label() + " consumer stopped; see " + run.log());
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        long lagAtEnd = run.lag();
        double seconds = (System.nanoTime() - started) / 1e9;
        samples.add(Sample.of(seconds, published.get(), lagAtEnd, run.progress()));
        long total = published.get();
        long secondHalf = total - publishedAtMiddle;
        // bounded: over the second half the queue grew by less than 5% of what was published in it
        boolean bounded = lagAtMiddle >= 0 && lagAtEnd - lagAtMiddle < 0.05 * Math.max(1, secondHalf);
        double publishedPerSecond = total / seconds;
        double consumedPerSecond = Math.max(0, total - Math.max(0, lagAtEnd)) / seconds; // each step starts drained
        // the pacer's start and the last confirmations make a run's average a few percent under the asked rate
        boolean generatorLimited = !rate.isMax() && publishedPerSecond < 0.90 * rate.perSecond();
        while (run.lag() > 0 && run.consumerAlive()) {
            run.pause(1_000); // drain before the next rate
            samples.add(Sample.of((System.nanoTime() - started) / 1e9, published.get(), run.lag(), run.progress()));
        }
        return new Step(rate.isMax() ? -1 : rate.perSecond(), publishedPerSecond, consumedPerSecond, lagAtMiddle,
                lagAtEnd, secondHalf, bounded && !generatorLimited, generatorLimited, samples);
    }

    /** The mean body size of the generated events, so the raw round trip moves the same bytes. */
    static int averageEventBytes() throws Exception {
        MessageList sample = new MessageList();
        GeneratorRun.run(GeneratorConfig.builder().seed(1).rate(Rate.MAX).events(2_000L).build(), sample, null, null);
        return (int) sample.messages().stream().mapToInt(m -> m.body().length).average().orElse(1024);
    }
}
