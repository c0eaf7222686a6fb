package dev.cdc.common.fault;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sink's work against its target and waits out transient faults, however long they last (DESIGN section 7):
 * each {@link FaultKind#TRANSIENT} failure is followed by a {@link Backoff} wait and another attempt, behind a circuit
 * breaker shared by every caller of this instance (while it is open, no attempt reaches the target). An
 * {@link FaultKind#INVALID} or {@link FaultKind#FATAL} failure is rethrown at once, as thrown, for the caller to
 * bisect or to fail. There is no maximum number of attempts: the caller acknowledges nothing until {@link #call}
 * returns, so a long outage costs time, never records.
 *
 * <p>Thread-safe: one instance per target, shared by the threads writing to it. {@link #stop} (or interrupting the
 * waiting thread) ends every wait at once with an {@link InterruptedException}.
 */
public final class TransientRetry {

    private static final Logger LOG = LoggerFactory.getLogger(TransientRetry.class);

    /** Waits between two attempts; tests pass one that records the waits and returns at once. */
    @FunctionalInterface
    public interface Waiter {
        void await(Duration wait) throws InterruptedException;
    }

    /** One attempt of the work: its failures are classified, its result returned. */
    @FunctionalInterface
    public interface Work<T> {
        T call() throws Exception;
    }

    /** Told of every retry before its wait: for progress counters and metrics. */
    @FunctionalInterface
    public interface RetryListener {
        void retrying(int retry, Duration wait, Throwable fault);
    }

    private final String target;
    private final FaultClassifier classifier;
    private final Backoff backoff;
    private final CircuitBreaker breaker;
    private final Waiter waiter;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong retries = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile RetryListener listener = (retry, wait, fault) -> { };

    /** @param target what the work reaches, as logs name it ("REST API", "ODS"); never a secret */
    public TransientRetry(String target, RetrySettings settings, FaultClassifier classifier) {
        this(target, settings, classifier, null, () -> ThreadLocalRandom.current().nextDouble(), Clock.systemUTC());
    }

    /**
     * @param waiter null for the real one (interruptible, ended by {@link #stop})
     * @param random values in [0, 1) for the jitter
     * @param clock the circuit breaker's, for how long it stays open
     */
    public TransientRetry(String target, RetrySettings settings, FaultClassifier classifier, Waiter waiter,
                          DoubleSupplier random, Clock clock) {
        this.target = target;
        this.classifier = classifier;
        this.backoff = new Backoff(settings, random);
        this.waiter = waiter != null ? waiter : wait -> stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        this.breaker = CircuitBreaker.of(target, CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.circuitFailureRate())
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .waitDurationInOpenState(settings.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .clock(clock)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> LOG.warn("{}: circuit {}", target, e.getStateTransition()));
    }

    /** Set before the first call. */
    public TransientRetry onRetry(RetryListener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * Runs {@code work} until it succeeds or fails other than transiently.
     *
     * @throws InterruptedException when stopped or interrupted while waiting (the work's effects are unknown: the
     *     caller acknowledges nothing)
     * @throws Exception what the work threw, when classified {@link FaultKind#INVALID} or {@link FaultKind#FATAL}
     */
    public <T> T call(Work<T> work) throws Exception {
        return call(work, (retry, wait, fault) -> { });
    }

    /** {@link #call(Work)}, telling {@code onRetry} too of this call's retries (e.g. which endpoint they were for). */
    public <T> T call(Work<T> work, RetryListener onRetry) throws Exception {
        for (int retry = 1; ; retry++) {
            if (stopped.getCount() == 0) {
                throw new InterruptedException("stopped while retrying " + target);
            }
            String fault;
            Throwable cause = null;
            if (breaker.tryAcquirePermission()) {
                long start = System.nanoTime();
                try {
                    T result = work.call();
                    breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    if (retry > 1) {
                        LOG.info("{} accepted the work again after {} retries", target, retry - 1);
                    }
                    return result;
                } catch (InterruptedException e) {
                    breaker.releasePermission();
                    throw e;
                } catch (Exception e) {
                    FaultKind kind = classifier.classify(e);
                    if (kind != FaultKind.TRANSIENT) {
                        // an invalid record means the target is up and judging: a success for the circuit
                        breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                        throw e;
                    }
                    breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                    fault = String.valueOf(e.getMessage());
                    cause = e;
                }
            } else {
                fault = "circuit open, the attempt is held back";
            }
            Duration wait = backoff.delay(retry);
            retries.incrementAndGet();
            if (cause != null) {
                LOG.warn("{} unavailable ({}); retry {} in {} ms, for as long as it takes (nothing is acknowledged"
                        + " meanwhile)", target, fault, retry, wait.toMillis());
            } else { // the circuit's own transitions are logged at warn: one line per held-back call is noise
                LOG.debug("{}: {}; retry {} in {} ms", target, fault, retry, wait.toMillis());
            }
            listener.retrying(retry, wait, cause);
            onRetry.retrying(retry, wait, cause);
            waiting.incrementAndGet();
            try {
                waiter.await(wait);
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    /** Ends every wait now and every later call at once (on shutdown). */
    public void stop() {
        stopped.countDown();
    }

    /** Retries since this instance was made (of every caller). */
    public long retries() {
        return retries.get();
    }

    /** Calls waiting for the target right now: more than zero means an outage is being waited out. */
    public int waiting() {
        return waiting.get();
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }
}
