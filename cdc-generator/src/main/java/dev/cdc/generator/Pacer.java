package dev.cdc.generator;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Paces messages smoothly: message {@code i} is due at {@code start + i / rate}, so a transaction of five changes
 * still leaves as five evenly spaced messages, never a burst, and a late message does not shift the ones after it.
 * Time and waiting are injected so tests can check the schedule without sleeping.
 */
public final class Pacer {

    private final double intervalNanos;
    private final LongSupplier nanoTime;
    private final LongConsumer park;
    private final long start;

    public Pacer(Rate rate, LongSupplier nanoTime, LongConsumer park) {
        this.intervalNanos = rate.isMax() ? 0 : 1e9 / rate.perSecond();
        this.nanoTime = nanoTime;
        this.park = park;
        this.start = nanoTime.getAsLong();
    }

    public static Pacer system(Rate rate) {
        return new Pacer(rate, System::nanoTime, LockSupport::parkNanos);
    }

    /** Waits until message {@code index} (0-based) is due; returns at once at the max rate. */
    public void awaitTurn(long index) {
        if (intervalNanos == 0) {
            return;
        }
        long due = start + (long) (index * intervalNanos);
        for (long wait = due - nanoTime.getAsLong(); wait > 0; wait = due - nanoTime.getAsLong()) {
            park.accept(wait);
        }
    }

    public long start() {
        return start;
    }
}
