package dev.cdc.common.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final RetrySettings SETTINGS = new RetrySettings(Duration.ofMillis(200), Duration.ofSeconds(2), 2.0,
            50, Duration.ofSeconds(5));

    @Test
    void waitsDoubleFromTheInitialDelayUpToTheMaximum() {
        Backoff backoff = new Backoff(SETTINGS, () -> 0.5); // 0.5: no jitter
        List<Long> waits = IntStream.rangeClosed(1, 7).mapToObj(r -> backoff.delay(r).toMillis()).toList();
        assertThat(waits).containsExactly(200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
    }

    @Test
    void theWaitOfAVeryLongOutageStaysAtTheMaximum() {
        Backoff backoff = new Backoff(SETTINGS, () -> 0.5);
        assertThat(backoff.delay(100_000)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void jitterMovesAWaitByUpToHalfEitherWayButNeverAboveTheMaximum() {
        assertThat(new Backoff(SETTINGS, () -> 0.0).delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(new Backoff(SETTINGS, () -> 0.999).delay(2).toMillis()).isBetween(595L, 600L);
        assertThat(new Backoff(SETTINGS, () -> 0.999).delay(4)).isEqualTo(Duration.ofSeconds(2));
        assertThat(new Backoff(SETTINGS, () -> 0.0).delay(9)).isEqualTo(Duration.ofSeconds(1));
    }
}
