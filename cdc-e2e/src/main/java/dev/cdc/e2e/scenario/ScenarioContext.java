package dev.cdc.e2e.scenario;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.e2e.pipeline.ConsumerOptions;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.e2e.pipeline.TruthVerdict;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.Rate;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * What a scenario works with: a pipeline started in its own directory with free ports, the generator publishing at a
 * rate, a sampler that follows the lag (its peak, and how long after {@link #healed()} it takes to come back to
 * normal) and prints a progress line every few seconds, the drain and the truth check. One per scenario run; the
 * suite closes it.
 */
public final class ScenarioContext implements AutoCloseable {

    /** The load a scenario publishes unless it needs another: a few hundred events/s for 20 s. */
    public static final Rate RATE = Rate.parse("300/s");
    public static final Duration LOAD = Duration.ofSeconds(20);

    private final String id;
    private final ConsumerProcess architecture;
    private final Path home;
    private final Path dir;
    private final PrintWriter out;
    private final long started = System.nanoTime();
    private final AtomicLong published = new AtomicLong();
    private final AtomicReference<Exception> generatorFailure = new AtomicReference<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private volatile PipelineRun run;
    private volatile Thread generator;
    private volatile String phase = "starting";
    private volatile long lagPeak;
    private volatile long lagAtFault = -1;
    private volatile long faultPeak = -1;
    private volatile long baselineLag;
    private volatile long faultAt = -1;
    private volatile long healedAt = -1;
    private volatile double recoverySeconds = -1;
    private Thread sampler;
    private volatile long foreignDeadLetters;
    private volatile long moreDeadLetters;

    ScenarioContext(String id, ConsumerProcess architecture, Path home, Path dir, PrintWriter out) {
        this.id = id;
        this.architecture = architecture;
        this.home = home;
        this.dir = dir;
        this.out = out;
    }

    public ConsumerProcess architecture() {
        return architecture;
    }

    public Path dir() {
        return dir;
    }

    public Path home() {
        return home;
    }

    /** The run started by {@link #start}. */
    public PipelineRun run() {
        return run;
    }

    /** Starts the pipeline with the project's configuration (free ports, no UIs) and the consumer as configured. */
    public PipelineRun start() throws Exception {
        return start(UnaryOperator.identity(), ConsumerOptions.NONE);
    }

    /**
     * Starts the pipeline with the project's configuration changed by {@code edit} (a text edit of
     * {@code configs/cdc.yaml}, after the ports are made free) and the consumer with {@code options}.
     */
    public PipelineRun start(UnaryOperator<String> edit, ConsumerOptions options) throws Exception {
        return start(writeConfig(edit), options);
    }

    /** Starts the pipeline with a configuration {@link #writeConfig} wrote. */
    public PipelineRun start(Path configFile, ConsumerOptions options) throws Exception {
        Configuration config = Configuration.load(configFile, Map.of());
        phase("starting the broker, the target and the " + architecture.label() + " consumer");
        run = PipelineRun.start(architecture, config, home, dir.resolve("run"), configFile, options);
        startSampler();
        return run;
    }

    /**
     * Writes {@code dir/cdc.yaml}: the project's configuration with free ports, data under {@code dir}, no UIs, then
     * changed by {@code edit}.
     */
    public Path writeConfig(UnaryOperator<String> edit) throws IOException {
        String yaml = Files.readString(home.resolve("configs/cdc.yaml"))
                .replace("${SOLACE_PORT:5672}", Integer.toString(freePort()))
                .replace("${POSTGRES_PORT:5432}", Integer.toString(freePort()))
                .replace("${REST_API_PORT:8080}", Integer.toString(freePort()))
                .replace("data-dir: data", "data-dir: " + dir.resolve("data"))
                .replace("  ui: true", "  ui: false");
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("cdc.yaml"), edit.apply(yaml));
    }

    /** The usual load: {@link #RATE} for {@link #LOAD}, with the generator's scenarios named (none: ""). */
    public static GeneratorConfig load(String generatorScenarios) {
        return load(RATE, LOAD, generatorScenarios);
    }

    public static GeneratorConfig load(Rate rate, Duration duration, String generatorScenarios) {
        return GeneratorConfig.builder().seed(31).rate(rate).duration(duration)
                .scenarios(dev.cdc.generator.Scenario.parseList(generatorScenarios))
                .clock(GeneratorConfig.ClockMode.WALL).build();
    }

    /**
     * Starts publishing {@code generator} into the run's broker, through whatever the scenario does to the consumer,
     * the broker or the target (the generator only ends when its run does); the truth goes to {@code dir/truth}.
     */
    public void publish(GeneratorConfig config) {
        phase("publishing " + config.rate() + (config.scenarios().isEmpty() ? "" : " with " + config.scenarios()));
        generator = run.publish(config, dir.resolve("truth"), published, generatorFailure, () -> false);
    }

    /** Names what happens now, for the progress lines. */
    public void phase(String text) {
        phase = text;
        line();
    }

    /** Records a fact for the report (e.g. "alert seen in the consumer's log"). */
    public synchronized void note(String text) {
        notes.add(text);
        out.println("  " + id + " " + architecture.label() + ": " + text);
        out.flush();
    }

    /** Records something that fails the scenario whatever the truth check says (e.g. a stop that printed a trace). */
    public synchronized void problem(String text) {
        problems.add(text);
        out.println("  " + id + " " + architecture.label() + ": PROBLEM: " + text);
        out.flush();
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /** Waits {@code time} while the sampler follows the lag. */
    public void hold(Duration time) throws InterruptedException {
        // the fault lasts this long by design: a timed wait, not a wait for a system to reach a state
        long end = System.nanoTime() + time.toNanos();
        for (long left = time.toNanos(); left > 0; left = end - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while holding a fault");
            }
        }
    }

    /** Waits (at most {@code timeout}) until the consumer has reported consuming something. */
    public void awaitConsuming(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (run.consumedTotal() == 0 && run.consumerAlive() && System.nanoTime() < deadline) {
            run.pause(250);
        }
    }

    /** Marks the start of the fault: the lag until now is the baseline the recovery is measured against. */
    public void faultStarted(String what) {
        lagAtFault = run.lag();
        faultAt = System.nanoTime();
        phase(what);
    }

    /** Marks the fault healed: the recovery time runs from here until the lag is back to normal. */
    public void healed(String what) {
        healedAt = System.nanoTime();
        phase(what);
    }

    /** Messages a scenario put on the dead-letter topics' queue itself: not dead letters of the run. */
    public void foreignDeadLetters(long n) {
        foreignDeadLetters = n;
    }

    /** Dead letters the scenario's own bad messages cause, expected besides the generator's. */
    public void moreDeadLetters(long n) {
        moreDeadLetters = n;
    }

    /** How much the lag grew while the fault lasted (from its level when the fault started to its peak then). */
    public long lagGrowthDuringFault() {
        return faultPeak < 0 || lagAtFault < 0 ? 0 : faultPeak - lagAtFault;
    }

    /** The highest lag seen so far. */
    public long lagPeak() {
        return lagPeak;
    }

    /** Seconds since the scenario started. */
    public double elapsed() {
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * Waits until the generator has published everything and the consumer has emptied the queue (seen empty twice,
     * a second apart), or {@code timeout} passes. Empty means the consumer acknowledged it all: Spark after its
     * micro-batch commits, Flink after the checkpoint, which completes after delivery.
     *
     * @return null when drained, otherwise why not
     */
    public String drain(Duration timeout) throws InterruptedException {
        phase("generator running; then draining the queue");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (generator != null && generator.isAlive()) {
            generator.join(1_000);
            if (!run.consumerAlive()) {
                return "the consumer exited (code " + run.consumerExitCode() + ") while the generator ran; see "
                        + run.log();
            }
        }
        if (generatorFailure.get() != null) {
            return "the generator failed: " + generatorFailure.get();
        }
        phase("generator finished (" + published.get() + " events); draining");
        int emptyTimes = 0;
        while (System.nanoTime() < deadline) {
            if (!run.consumerAlive()) {
                return "the consumer exited (code " + run.consumerExitCode() + "); see " + run.log();
            }
            emptyTimes = run.lag() == 0 ? emptyTimes + 1 : 0;
            if (emptyTimes >= 2) {
                return null;
            }
            run.pause(1_000);
        }
        return "the queue still holds " + run.lag() + " messages " + timeout.toSeconds() + " s after the generator ended";
    }

    /** The truth check of the run against {@code dir/truth}. */
    public TruthVerdict verify() throws Exception {
        phase("truth check");
        TruthVerdict v = run.target().verify(run, SourceTruth.read(dir.resolve("truth")), foreignDeadLetters,
                moreDeadLetters);
        Files.writeString(dir.resolve("truth-check.txt"), v.details());
        return v;
    }

    /**
     * The result after the drain: PASS when the queue drained, the truth holds, the dead letters are the expected
     * ones and {@code extraFailure} is null (a scenario's own check, e.g. "no alert in the consumer's log").
     */
    public ScenarioResult finish(String done, String drainFailure, String extraFailure) throws Exception {
        TruthVerdict verdict = null;
        String reason = drainFailure;
        if (drainFailure != null && logContains("OutOfMemoryError")) { // a JVM can live on, stuck, after one
            reason = join(reason, "OutOfMemoryError in the consumer's log");
        }
        // without the generator's end there is no truth to check against
        if ((drainFailure == null || run.consumerAlive()) && generatorFailure.get() == null) {
            try {
                verdict = verify();
            } catch (Exception e) {
                reason = join(reason, "truth check failed: " + e);
            }
        }
        if (verdict != null && !verdict.passed()) {
            reason = join(reason, verdict.failure());
        }
        reason = join(reason, extraFailure);
        for (String p : problemList()) {
            reason = join(reason, p);
        }
        boolean passed = reason == null;
        if (passed && !notes().isEmpty()) {
            reason = String.join("; ", notes());
        }
        return new ScenarioResult(id, architecture.label(), done, lagPeak, recoverySeconds, run.consumedTotal(),
                published.get(), verdict == null ? "not checked" : verdict.summary(), passed,
                passed ? (reason == null ? "" : reason) : reason, elapsed());
    }

    private boolean logContains(String text) {
        try {
            return Files.exists(run.log()) && Files.readString(run.log()).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized List<String> problemList() {
        return List.copyOf(problems);
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    private void startSampler() {
        sampler = new Thread(() -> {
            long nextLine = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                long lag = run.lag();
                long now = System.nanoTime();
                if (lag > lagPeak) {
                    lagPeak = lag;
                }
                if (faultAt > 0 && healedAt < 0 && lag > faultPeak) {
                    faultPeak = lag;
                }
                if (faultAt < 0 && generator != null) {
                    baselineLag = Math.max(baselineLag, lag);
                }
                if (healedAt > 0 && recoverySeconds < 0 && lag >= 0 && lag <= normalLag()) {
                    recoverySeconds = (now - healedAt) / 1e9;
                }
                if (now >= nextLine) {
                    line();
                    nextLine = now + 5_000_000_000L;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L); // the sampling period
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }, "scenario-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The lag the pipeline shows at this load without a fault, with room: twice the baseline, at least 500. */
    private long normalLag() {
        return Math.max(2 * baselineLag, 500);
    }

    private synchronized void line() {
        PipelineRun r = run;
        String lag = r == null ? "-" : Long.toString(r.lag());
        dev.cdc.common.progress.ConsumerProgress p = r == null ? null : r.progress();
        out.printf(Locale.ROOT, "  %-4s %-5s %4.0f s  published %,7d | lag %7s | consumed %,7d | %s%n", id,
                architecture.label(), elapsed(), published.get(), lag, r == null ? 0 : r.consumedTotal(),
                p == null && r != null && !r.consumerAlive() ? phase + " (consumer down)" : phase);
        out.flush();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (sampler != null) {
            sampler.interrupt();
        }
        if (generator != null && generator.isAlive()) {
            generator.interrupt();
        }
        if (run != null) {
            run.close();
        }
    }

    /** For scenarios that apply to both architectures. */
    public static final Set<ConsumerProcess> BOTH = Set.of(ConsumerProcess.SPARK, ConsumerProcess.FLINK);
}
