package dev.cdc.flink.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnacknowledgedLimitTest {

    private static final long MB = 1L << 20;

    @Test
    void aBacklogOfLargeDocumentsStopsReceivingAtTheByteBoundLongBeforeTheCountBound() {
        UnacknowledgedLimit limit = new UnacknowledgedLimit(50_000, 64 * MB);
        for (int i = 0; i < 63; i++) {
            assertThat(limit.room(500)).isEqualTo(500);
            limit.received(MB);
        }
        assertThat(limit.bytesReached()).isFalse();
        limit.received(MB);
        assertThat(limit.bytesReached()).isTrue();
        assertThat(limit.room(500)).as("64 documents of 1 MB: no more until a checkpoint acknowledges").isZero();
        assertThat(limit.messages()).isEqualTo(64);
    }

    @Test
    void anAcknowledgementMakesRoomAgain() {
        UnacknowledgedLimit limit = new UnacknowledgedLimit(50_000, 10 * MB);
        limit.received(6 * MB);
        limit.received(6 * MB);
        assertThat(limit.room(500)).isZero();
        limit.released(1, 6 * MB);
        assertThat(limit.room(500)).isEqualTo(500);
        assertThat(limit.bytes()).isEqualTo(6 * MB);
        limit.released(1, 6 * MB);
        assertThat(limit.messages()).isZero();
        assertThat(limit.bytes()).isZero();
    }

    @Test
    void aDocumentLargerThanTheBoundIsStillReceivedAlone() {
        UnacknowledgedLimit limit = new UnacknowledgedLimit(50_000, 1 * MB);
        assertThat(limit.room(500)).as("nothing held: room for the next message, whatever its size").isPositive();
        limit.received(64 * MB);
        assertThat(limit.room(500)).isZero();
        limit.released(1, 64 * MB);
        assertThat(limit.room(500)).isPositive();
    }

    @Test
    void smallMessagesAreBoundedByCount() {
        UnacknowledgedLimit limit = new UnacknowledgedLimit(1_000, 64 * MB);
        for (int i = 0; i < 900; i++) {
            limit.received(1_024);
        }
        assertThat(limit.room(500)).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            limit.received(1_024);
        }
        assertThat(limit.room(500)).isZero();
        assertThat(limit.bytesReached()).isFalse();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new UnacknowledgedLimit(0, MB)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnacknowledgedLimit(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
