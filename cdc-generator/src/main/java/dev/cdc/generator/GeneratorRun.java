package dev.cdc.generator;

import dev.cdc.generator.output.MessageSink;
import dev.cdc.generator.truth.TruthRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the generator into a sink: paced smoothly (each message has its due time; no bursts), stopped by event count
 * or duration, with progress reported every couple of seconds; with a truth directory, the valid changes sent and
 * the alerts they raise are logged as they go and the rest of the truth is written at the end.
 */
public final class GeneratorRun {

    /** Receives progress while the run goes on. */
    public interface Progress {
        void report(long sent, long bytes, Duration elapsed);
    }

    /** What a run did. */
    public record Summary(long events, long duplicates, long deadLetters, long bytes, Duration elapsed) {
        public double eventsPerSecond() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds <= 0 ? 0 : events / seconds;
        }
    }

    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private GeneratorRun() {
    }

    public static Summary run(GeneratorConfig config, MessageSink sink, Path truthDir, Progress progress) throws IOException {
        return run(config, sink, truthDir, progress, () -> false);
    }

    /**
     * Runs until the event count, the duration, or {@code stopRequested} (checked between transactions, so a stop
     * never cuts one); the truth then covers exactly what was sent.
     */
    public static Summary run(GeneratorConfig config, MessageSink sink, Path truthDir, Progress progress,
                              BooleanSupplier stopRequested) throws IOException {
        SourceClock clock = config.clock() == GeneratorConfig.ClockMode.WALL
                ? SourceClock.wall() : SourceClock.simulated(config.startTime(), config.rate());
        ChangeGenerator generator = new ChangeGenerator(config, clock);
        // the changes and alerts are logged as messages go out, so the truth is opened before the first one
        try (TruthRecorder truth = truthDir == null ? null : TruthRecorder.open(truthDir, config.alerts())) {
            Pacer pacer = Pacer.system(config.rate());
            long start = pacer.start();
            long deadline = config.duration() == null ? Long.MAX_VALUE : start + config.duration().toNanos();
            long limit = config.events() == null ? Long.MAX_VALUE : config.events();
            long sent = 0;
            long nextProgress = start + PROGRESS_INTERVAL_NANOS;
            while (sent < limit && System.nanoTime() < deadline && !stopRequested.getAsBoolean()) {
                List<GeneratedMessage> batch = generator.next((int) Math.min(limit - sent, 1_000_000));
                for (GeneratedMessage m : batch) {
                    pacer.awaitTurn(sent);
                    clock.tick();
                    sink.send(m);
                    sent++;
                    if (truth != null) {
                        truth.published(m);
                    }
                }
                long now = System.nanoTime();
                if (progress != null && now >= nextProgress) {
                    progress.report(sent, sink.bytes(), Duration.ofNanos(now - start));
                    nextProgress = now + PROGRESS_INTERVAL_NANOS;
                }
            }
            sink.close();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Summary summary = new Summary(sent, generator.duplicatesSent(),
                    generator.workload().expectedDeadLetters().size(), sink.bytes(), elapsed);
            if (truth != null) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("messages_sent", summary.events());
                run.put("duplicates_sent", summary.duplicates());
                truth.finish(generator.workload(), config, run);
            }
            return summary;
        }
    }
}
