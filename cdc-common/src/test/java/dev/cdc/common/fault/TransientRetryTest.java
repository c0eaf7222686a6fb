package dev.cdc.common.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TransientRetryTest {

    /** The test's own failures, classified by type as a sink would by status. */
    static final class Unavailable extends Exception {
        Unavailable() {
            super("HTTP 503");
        }
    }

    static final class Refused extends Exception {
        Refused() {
            super("HTTP 400");
        }
    }

    static final class WrongToken extends Exception {
        WrongToken() {
            super("HTTP 401");
        }
    }

    static final FaultClassifier CLASSIFIER = e -> e instanceof Refused ? FaultKind.INVALID
            : e instanceof WrongToken ? FaultKind.FATAL : FaultKind.TRANSIENT;

    private static final RetrySettings SETTINGS = new RetrySettings(Duration.ofMillis(200), Duration.ofSeconds(1), 2.0,
            50, Duration.ofSeconds(5));

    private final ManualClock clock = new ManualClock();
    private final List<Duration> waits = new ArrayList<>();

    /** Records each wait and "sleeps" it by moving the clock. */
    private TransientRetry retry() {
        return new TransientRetry("test target", SETTINGS, CLASSIFIER, wait -> {
            waits.add(wait);
            clock.advance(wait);
        }, () -> 0.5, clock);
    }

    @Test
    void aTransientFaultIsRetriedWithDoublingWaitsUntilItClears() throws Exception {
        TransientRetry retry = retry();
        AtomicInteger attempts = new AtomicInteger();
        String result = retry.call(() -> {
            if (attempts.incrementAndGet() <= 5) {
                throw new Unavailable();
            }
            return "stored";
        });
        assertThat(result).isEqualTo("stored");
        assertThat(attempts).hasValue(6);
        assertThat(waits).extracting(Duration::toMillis).containsExactly(200L, 400L, 800L, 1000L, 1000L);
        assertThat(retry.retries()).isEqualTo(5);
        assertThat(retry.waiting()).isZero();
    }

    @Test
    void neverGivesUpOnATransientFaultHoweverLongItLasts() throws Exception {
        TransientRetry retry = retry();
        Instant start = clock.instant();
        Instant recovery = start.plus(Duration.ofHours(3)); // far past any former retry budget
        AtomicInteger attempts = new AtomicInteger();
        List<Integer> told = new CopyOnWriteArrayList<>();
        retry.onRetry((n, wait, fault) -> told.add(n));
        String result = retry.call(() -> {
            attempts.incrementAndGet();
            if (clock.instant().isBefore(recovery)) {
                throw new Unavailable();
            }
            return "stored";
        });
        assertThat(result).isEqualTo("stored");
        assertThat(retry.retries()).isGreaterThan(3 * 3600 / 1 - 1).isEqualTo(told.size());
        assertThat(waits).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(attempts.get()).as("the open circuit held most attempts back").isLessThan(told.size() / 2);
        assertThat(retry.circuitState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void anOpenCircuitLetsNoAttemptThroughUntilItsOpenTimeHasPassed() throws Exception {
        TransientRetry retry = retry();
        List<Instant> attemptedAt = new ArrayList<>();
        retry.call(() -> {
            attemptedAt.add(clock.instant());
            if (attemptedAt.size() <= 10) {
                throw new Unavailable();
            }
            return "stored";
        });
        // 10 calls all failed: the circuit opened at the 10th and held the 11th back for its 5 s
        assertThat(Duration.between(attemptedAt.get(9), attemptedAt.get(10))).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(retry.retries()).isGreaterThan(10);
        assertThat(retry.circuitState()).isIn(CircuitBreaker.State.HALF_OPEN, CircuitBreaker.State.CLOSED);
    }

    @Test
    void anInvalidRecordIsNotRetriedAndRethrownAsThrown() {
        TransientRetry retry = retry();
        Refused refused = new Refused();
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.call(() -> {
            attempts.incrementAndGet();
            throw refused;
        })).isSameAs(refused);
        assertThat(attempts).hasValue(1);
        assertThat(waits).isEmpty();
        assertThat(retry.retries()).isZero();
    }

    @Test
    void aFatalFaultFailsAtOnceEvenAfterTransientOnes() {
        TransientRetry retry = retry();
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> retry.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new Unavailable();
            }
            throw new WrongToken();
        })).isInstanceOf(WrongToken.class);
        assertThat(attempts).hasValue(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void stopEndsAWaitAtOnce() throws Exception {
        TransientRetry retry = new TransientRetry("test target", new RetrySettings(Duration.ofHours(1),
                Duration.ofHours(1), 2.0, 50, Duration.ofSeconds(5)), CLASSIFIER);
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> {
            try {
                return retry.call(() -> {
                    throw new Unavailable();
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> retry.waiting() == 1);
        long stoppedAt = System.nanoTime();
        retry.stop();
        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().hasCauseInstanceOf(InterruptedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> retry.call(() -> "never run")).isInstanceOf(InterruptedException.class);
    }

    @Test
    void anInterruptEndsAWaitAtOnce() throws Exception {
        TransientRetry retry = new TransientRetry("test target", new RetrySettings(Duration.ofHours(1),
                Duration.ofHours(1), 2.0, 50, Duration.ofSeconds(5)), CLASSIFIER);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                retry.call(() -> {
                    throw new Unavailable();
                });
            } catch (Exception e) {
                ended.set(e);
            }
        });
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> retry.waiting() == 1);
        writer.interrupt();
        writer.join(10_000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
    }
}
