package dev.cdc.generator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The source database's clock, which stamps commit times ({@code source.ts_ms}) and timestamp columns.
 * {@link #simulated} advances by the pacing interval per message, so the same seed gives the same bytes;
 * {@link #wall} is real time, for live runs whose latency is measured from the commit time.
 */
public abstract class SourceClock {

    /** Milliseconds since the epoch now. */
    public abstract long millis();

    /** Called once per emitted message. */
    abstract void tick();

    public LocalDateTime now() {
        long ms = millis();
        return LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000L), (int) Math.floorMod(ms, 1000L) * 1_000_000, ZoneOffset.UTC);
    }

    public static SourceClock wall() {
        return new SourceClock() {
            @Override
            public long millis() {
                return System.currentTimeMillis();
            }

            @Override
            void tick() {
            }
        };
    }

    /** Starts at {@code start}, advancing by {@code 1/rate} per message (0.1 ms at the max rate). */
    public static SourceClock simulated(Instant start, Rate rate) {
        double step = rate.isMax() ? 0.1 : 1000.0 / rate.perSecond();
        return new SourceClock() {
            private double elapsed;

            @Override
            public long millis() {
                return start.toEpochMilli() + (long) elapsed;
            }

            @Override
            void tick() {
                elapsed += step;
            }
        };
    }
}
