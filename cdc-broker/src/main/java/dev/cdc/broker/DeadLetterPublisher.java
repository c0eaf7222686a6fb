package dev.cdc.broker;

import dev.cdc.common.dlq.DeadLetter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dead letters to their DLQ topics ({@code cdc/dlq/SCHEMA/TABLE}) with the original payload and why they
 * failed, and never stops the consumer doing it: dead letters must never stall a pipeline (DESIGN section 7).
 *
 * <p>{@link #publish} waits at most the confirm timeout for the broker to hold them. When the broker refuses them
 * (its dead-letter queue is at its quota: Solace NACKs), does not confirm in time (a broker that makes publishers of
 * a full queue wait), or can't be reached, they are handed to the caller's {@link Keeper}, which must keep them
 * durably (Architecture A: they are in {@code cdc_dlq} already, written in the batch's transaction; Architecture B:
 * a local {@link dev.cdc.common.dlq.DeadLetterSpill}), and a loud alert is logged, at most once per {@code alertEvery}, with the
 * count since the last one. The consumer then acknowledges the originals and goes on. After a failure the broker is
 * not tried again for a back-off (5 s, doubling up to a minute; reset by a success), so a full queue costs one
 * timeout per back-off, not one per batch. {@code ./cdc dlq drain} brings the broker's and the spill's dead letters
 * into {@code cdc_dlq}.
 *
 * <p>The broker connection is its own, opened by the {@link Connector} on first use and again after any failure (a
 * refused send leaves a connection unusable). Sends run on one internal thread so that neither a broker that
 * withholds credit nor a connect that never returns can hold the caller past the timeout. Thread-safe.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    /** Opens the broker connection dead letters are sent on. */
    @FunctionalInterface
    public interface Connector {
        MessageBus connect() throws BrokerException;
    }

    /** Keeps dead letters the broker did not take; returns only once they survive a crash. */
    @FunctionalInterface
    public interface Keeper {
        void keep(List<DeadLetter> letters) throws java.io.IOException;

        /** For a consumer that has already stored its dead letters durably (A: in {@code cdc_dlq}). */
        static Keeper alreadyStored() {
            return letters -> {
                // nothing more to do: the caller wrote them in the transaction that also records its batch
            };
        }
    }

    /**
     * What became of one {@link #publish}.
     *
     * @param published dead letters the broker confirmed
     * @param kept dead letters the broker did not take, kept by the {@link Keeper} instead
     * @param reason why the broker did not take them, or null
     */
    public record Outcome(int published, int kept, String reason) {
        public boolean allPublished() {
            return kept == 0;
        }
    }

    private final Connector connector;
    private final Duration confirmTimeout;
    private final Keeper keeper;
    private final String keptWhere;
    private final Duration alertEvery;
    private final LongSupplier nanoTime;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dead-letter-publisher");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong notPublished = new AtomicLong();
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final AtomicReference<MessageBus> bus = new AtomicReference<>();
    private Duration backoff = Duration.ZERO;
    private long brokerRetryAt;
    private String lastFailure;
    private long alerts;
    private long lastAlert;
    private long notPublishedAtLastAlert;
    private boolean alerted;

    /**
     * @param keptWhere where the keeper keeps them, for the alert ("cdc_dlq", "the spill file X")
     */
    public DeadLetterPublisher(Connector connector, Duration confirmTimeout, Keeper keeper, String keptWhere) {
        this(connector, confirmTimeout, keeper, keptWhere, Duration.ofMinutes(1), System::nanoTime);
    }

    DeadLetterPublisher(Connector connector, Duration confirmTimeout, Keeper keeper, String keptWhere,
                        Duration alertEvery, LongSupplier nanoTime) {
        this.connector = connector;
        this.confirmTimeout = confirmTimeout;
        this.keeper = keeper;
        this.keptWhere = keptWhere;
        this.alertEvery = alertEvery;
        this.nanoTime = nanoTime;
    }

    /**
     * Sends the dead letters and waits at most the confirm timeout; what the broker did not take is kept by the
     * keeper. Returns within about the confirm timeout whatever the broker does.
     *
     * @throws java.io.IOException only if the keeper could not keep them (the caller must not acknowledge)
     */
    public synchronized Outcome publish(List<DeadLetter> letters) throws java.io.IOException {
        if (letters.isEmpty()) {
            return new Outcome(0, 0, null);
        }
        String reason;
        if (!backoff.isZero() && nanoTime.getAsLong() - brokerRetryAt < 0) {
            long wait = Duration.ofNanos(brokerRetryAt - nanoTime.getAsLong()).toSeconds();
            reason = lastFailure + " (the broker is tried again in " + wait + " s)";
        } else {
            reason = send(letters);
            if (reason == null) {
                backoff = Duration.ZERO;
                return new Outcome(letters.size(), 0, null);
            }
            lastFailure = reason;
            Duration doubled = backoff.multipliedBy(2);
            backoff = backoff.isZero() ? FIRST_BACKOFF : doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
            brokerRetryAt = nanoTime.getAsLong() + backoff.toNanos();
        }
        keeper.keep(letters);
        long total = notPublished.addAndGet(letters.size());
        alert(reason, total);
        return new Outcome(0, letters.size(), reason);
    }

    /** Alert lines logged so far (for tests). */
    synchronized long alertsRaised() {
        return alerts;
    }

    /** Dead letters the broker did not take since start (kept by the keeper instead). */
    public long notPublished() {
        return notPublished.get();
    }

    private String send(List<DeadLetter> letters) {
        long deadline = System.nanoTime() + confirmTimeout.toNanos();
        Future<?> sent = sender.submit(() -> {
            MessageBus b = bus.get();
            if (b == null) {
                b = connector.connect();
                bus.set(b);
            }
            for (DeadLetter letter : letters) {
                b.publish(letter.toBrokerMessage());
            }
            b.flush(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            return null;
        });
        try {
            // a little past the deadline, so a flush that times out by itself says why
            sent.get(confirmTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.NANOSECONDS);
            return null;
        } catch (TimeoutException e) {
            sent.cancel(true);
            discardConnection();
            return "the broker did not confirm them within " + confirmTimeout;
        } catch (ExecutionException e) {
            discardConnection();
            // a flush left with no time (the sends used it up) is the same "not confirmed in time"
            return System.nanoTime() - deadline >= 0 && !(e.getCause() instanceof BrokerException b && b.queueFull())
                    ? "the broker did not confirm them within " + confirmTimeout : describe(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sent.cancel(true);
            discardConnection();
            return "interrupted while waiting for the broker";
        }
    }

    /**
     * A refused or unconfirmed send leaves the connection unusable: it is closed (which also ends a send still
     * waiting for the broker) on a thread of its own, never the caller's, and the next publish opens a new one.
     */
    private void discardConnection() {
        MessageBus b = bus.getAndSet(null);
        if (b == null) {
            return;
        }
        Thread closer = new Thread(() -> {
            try {
                b.close();
            } catch (BrokerException e) {
                LOG.debug("closing the dead-letter connection after a failed send: {}", e.getMessage());
            }
        }, "dead-letter-publisher-close");
        closer.setDaemon(true);
        closer.start();
    }

    /** "Queue full" in the broker's words, or the failure's own message. */
    static String describe(Throwable failure) {
        if (failure instanceof BrokerException b && b.queueFull()) {
            return "the broker refused them: the dead-letter queue is at its quota (" + b.getMessage() + ")";
        }
        return failure.getMessage();
    }

    private void alert(String reason, long total) {
        long now = nanoTime.getAsLong();
        if (alerted && now - lastAlert < alertEvery.toNanos()) {
            return;
        }
        LOG.error("ALERT dead-letter queue: {}; {} dead letters not on the broker since start ({} since the last alert),"
                        + " kept in {}. The pipeline goes on: drain the broker's dead-letter queues with ./cdc dlq drain",
                reason, total, total - notPublishedAtLastAlert, keptWhere);
        alerted = true;
        alerts++;
        lastAlert = now;
        notPublishedAtLastAlert = total;
    }

    @Override
    public void close() {
        MessageBus b = bus.getAndSet(null);
        if (b != null) {
            try {
                b.close();
            } catch (BrokerException e) {
                LOG.warn("closing the dead-letter connection: {}", e.getMessage());
            }
        }
        sender.shutdown();
        try {
            if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.shutdownNow();
        }
    }
}
