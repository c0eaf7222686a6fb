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
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the generator into a sink: paced smoothly (each message has its due time; no bursts), stopped by event count
 * or duration, with progress reported every couple of seconds, and the truth written at the end.
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
        SourceClock clock = config.clock() == GeneratorConfig.ClockMode.WALL
                ? SourceClock.wall() : SourceClock.simulated(config.startTime(), config.rate());
        ChangeGenerator generator = new ChangeGenerator(config, clock);
        long start = System.nanoTime();
        long deadline = config.duration() == null ? Long.MAX_VALUE : start + config.duration().toNanos();
        double intervalNanos = config.rate().isMax() ? 0 : 1e9 / config.rate().perSecond();
        long limit = config.events() == null ? Long.MAX_VALUE : config.events();
        long sent = 0;
        long nextProgress = start + PROGRESS_INTERVAL_NANOS;
        while (sent < limit && System.nanoTime() < deadline) {
            List<GeneratedMessage> batch = generator.next((int) Math.min(limit - sent, 1_000_000));
            for (GeneratedMessage m : batch) {
                if (intervalNanos > 0) {
                    long due = start + (long) (sent * intervalNanos);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                clock.tick();
                sink.send(m);
                sent++;
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
        if (truthDir != null) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("messages_sent", summary.events());
            run.put("duplicates_sent", summary.duplicates());
            TruthRecorder.write(generator.workload(), config, run, truthDir);
        }
        return summary;
    }
}
