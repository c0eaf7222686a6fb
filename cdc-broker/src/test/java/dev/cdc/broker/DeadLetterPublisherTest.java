package dev.cdc.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The publisher's own rules with an injected clock; the broker side is in {@code DlqAtQuotaIT}. */
class DeadLetterPublisherTest {

    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger connects = new AtomicInteger();
    private final List<DeadLetter> kept = new ArrayList<>();

    private DeadLetterPublisher unreachableBroker() {
        return new DeadLetterPublisher(() -> {
            connects.incrementAndGet();
            throw BrokerException.unreachable("amqp://127.0.0.1:1", new java.io.IOException("connection refused"));
        }, Duration.ofSeconds(5), kept::addAll, "the spill file", Duration.ofMinutes(1), clock::get);
    }

    private static DeadLetter letter(int i) {
        return new DeadLetter(new BrokerMessage("cdc/oracle/SALES/ORDERS/insert", Map.of("cdc_key", "" + i),
                "{bad".getBytes(StandardCharsets.UTF_8)), ErrorType.MALFORMED_JSON, "not JSON", "c", Instant.EPOCH);
    }

    @Test
    void whatTheBrokerDoesNotTakeIsKeptAndTheCallerGoesOn() throws Exception {
        try (DeadLetterPublisher publisher = unreachableBroker()) {
            DeadLetterPublisher.Outcome outcome = publisher.publish(List.of(letter(1), letter(2)));

            assertThat(outcome.kept()).isEqualTo(2);
            assertThat(outcome.allPublished()).isFalse();
            assertThat(outcome.reason()).contains("unreachable");
            assertThat(kept).containsExactly(letter(1), letter(2));
            assertThat(publisher.notPublished()).isEqualTo(2);
        }
    }

    @Test
    void afterAFailureTheBrokerRestsForABackoffAndTheAlertIsRateLimited() throws Exception {
        try (DeadLetterPublisher publisher = unreachableBroker()) {
            publisher.publish(List.of(letter(1)));
            clock.addAndGet(Duration.ofSeconds(4).toNanos());
            DeadLetterPublisher.Outcome resting = publisher.publish(List.of(letter(2)));

            assertThat(connects).hasValue(1);
            assertThat(resting.reason()).contains("tried again in");
            assertThat(publisher.alertsRaised()).isEqualTo(1);

            clock.addAndGet(Duration.ofSeconds(2).toNanos()); // past the 5 s back-off: tried again, still one alert
            publisher.publish(List.of(letter(3)));
            assertThat(connects).hasValue(2);
            assertThat(publisher.alertsRaised()).isEqualTo(1);

            clock.addAndGet(Duration.ofMinutes(1).toNanos()); // a minute after the first alert: the next one
            publisher.publish(List.of(letter(4)));
            assertThat(publisher.alertsRaised()).isEqualTo(2);
            assertThat(kept).hasSize(4);
            assertThat(publisher.notPublished()).isEqualTo(4);
        }
    }

    @Test
    void nothingToSendTouchesNoBroker() throws Exception {
        try (DeadLetterPublisher publisher = unreachableBroker()) {
            assertThat(publisher.publish(List.of()).allPublished()).isTrue();
            assertThat(connects).hasValue(0);
        }
    }
}
