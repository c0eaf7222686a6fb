package dev.cdc.restapi.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets a graceful shutdown wait for the write requests in progress (a delayed answer included) while new ones are
 * refused with 503, which a sender retries. Internal.
 */
final class WriteGate {

    private static final int OPEN = Integer.MAX_VALUE;

    // a permit per request in progress; released from whichever thread finishes it
    private final Semaphore permits = new Semaphore(OPEN);
    private volatile boolean closing;

    boolean enter() {
        if (closing || !permits.tryAcquire()) {
            return false;
        }
        if (closing) {
            permits.release();
            return false;
        }
        return true;
    }

    void exit() {
        permits.release();
    }

    boolean closing() {
        return closing;
    }

    /**
     * Refuses new writes and waits for those in progress.
     *
     * @return whether they all finished within {@code timeout}
     */
    boolean closeAndDrain(Duration timeout) throws InterruptedException {
        closing = true;
        return permits.tryAcquire(OPEN, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
