package dev.cdc.bench.broker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Receives and acknowledges {@code n} messages on its own thread, for either client; tells the time of the last
 * acknowledgement and the CPU time the thread took.
 */
final class ConsumerThread {

    /** A step of the loop: receive one message within the poll time and acknowledge it; false if none came. */
    @FunctionalInterface
    interface ReceiveStep {
        boolean receiveAndAcknowledge() throws Exception;
    }

    private final Thread thread;
    private final int n;
    private final Duration deadline;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile long lastAck;
    private volatile int received;
    private volatile long cpuNanos = -1;

    ConsumerThread(String name, int n, Duration deadline, ReceiveStep step) {
        this.n = n;
        this.deadline = deadline;
        this.thread = new Thread(() -> {
            long until = System.nanoTime() + deadline.toNanos();
            long cpu = Cpu.thread();
            try {
                int count = 0;
                while (count < n) {
                    if (step.receiveAndAcknowledge()) {
                        count++;
                        received = count;
                    } else if (System.nanoTime() > until) {
                        throw new IllegalStateException("received " + count + " of " + n + " within " + deadline);
                    }
                }
                lastAck = System.nanoTime();
                cpuNanos = Cpu.since(cpu, Cpu.thread());
            } catch (Exception e) {
                failure.set(e);
            }
        }, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits for the last acknowledgement and returns its {@link System#nanoTime()}; throws if the thread failed. */
    long awaitEnd() throws Exception {
        thread.join(deadline.toMillis() + 5_000);
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " still running after " + deadline + " (" + received + " of " + n + ")");
        }
        if (failure.get() != null) {
            throw new IllegalStateException(thread.getName() + " failed", failure.get());
        }
        return lastAck;
    }

    /** CPU time of the consuming thread; -1 until it ended or where the JVM cannot tell. */
    long cpuNanos() {
        return cpuNanos;
    }
}
