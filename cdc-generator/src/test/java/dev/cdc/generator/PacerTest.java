package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacing schedule, checked on a fake clock: parking advances it, nothing sleeps. */
class PacerTest {

    private long now = 1_000_000L;
    private final List<Long> parked = new ArrayList<>();

    private Pacer pacer(String rate) {
        return new Pacer(Rate.parse(rate), () -> now, nanos -> {
            parked.add(nanos);
            now += nanos;
        });
    }

    @Test
    void messagesLeaveEvenlySpacedEvenWhenGeneratedTogether() {
        Pacer pacer = pacer("5000/min");
        long interval = 12_000_000L; // 60 s / 5000
        List<Long> released = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pacer.awaitTurn(i);
            released.add(now);
        }
        for (int i = 1; i < released.size(); i++) {
            assertThat(released.get(i) - released.get(i - 1)).isEqualTo(interval);
        }
    }

    @Test
    void aLateMessageDoesNotShiftTheSchedule() {
        Pacer pacer = pacer("100/s");
        pacer.awaitTurn(0);
        now += 35_000_000L; // the sender stalled 35 ms: messages 1-3 are overdue
        pacer.awaitTurn(1);
        pacer.awaitTurn(2);
        pacer.awaitTurn(3);
        assertThat(parked).isEmpty();
        pacer.awaitTurn(4);
        assertThat(now).isEqualTo(pacer.start() + 40_000_000L);
    }

    @Test
    void maxRateNeverWaits() {
        Pacer pacer = pacer("max");
        for (int i = 0; i < 1000; i++) {
            pacer.awaitTurn(i);
        }
        assertThat(parked).isEmpty();
        assertThat(now).isEqualTo(pacer.start());
    }
}
