package dev.cdc.flink.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingAcknowledgementsTest {

    private final PendingAcknowledgements<String> pending = new PendingAcknowledgements<>();

    private void emit(String... messages) {
        for (String m : messages) {
            pending.emitted(m);
        }
    }

    @Test
    void nothingIsHandedOverBeforeACheckpointCompletes() {
        emit("a", "b");
        pending.snapshot(1);
        assertThat(pending.size()).isEqualTo(2);
        assertThat(pending.completed(0)).isEmpty();
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void aCheckpointCoversExactlyWhatWasEmittedBeforeItsBarrier() {
        emit("a", "b");
        pending.snapshot(1);
        emit("c");
        assertThat(pending.completed(1)).containsExactly("a", "b");
        assertThat(pending.size()).as("c waits for the next checkpoint").isEqualTo(1);
        pending.snapshot(2);
        assertThat(pending.completed(2)).containsExactly("c");
        assertThat(pending.size()).isZero();
    }

    @Test
    void aSkippedNotificationIsCoveredByALaterOne() {
        emit("a");
        pending.snapshot(1);
        emit("b");
        pending.snapshot(2);
        emit("c");
        pending.snapshot(3);
        assertThat(pending.completed(2)).as("1 was never notified").containsExactly("a", "b");
        assertThat(pending.completed(3)).containsExactly("c");
    }

    @Test
    void anAbortedCheckpointsMessagesWaitForTheNextCompletedOne() {
        emit("a");
        pending.snapshot(1); // aborted: no completion ever comes for 1
        emit("b");
        pending.snapshot(2);
        assertThat(pending.completed(2)).containsExactly("a", "b");
        assertThat(pending.size()).isZero();
    }

    @Test
    void aCompletionIsHandedOverOnce() {
        emit("a");
        pending.snapshot(1);
        assertThat(pending.completed(1)).containsExactly("a");
        assertThat(pending.completed(1)).isEmpty();
        assertThat(pending.completed(2)).isEmpty();
    }

    @Test
    void aLateNotificationOfAnOlderCheckpointLeavesNewerMessagesPending() {
        emit("a");
        pending.snapshot(1);
        emit("b");
        pending.snapshot(2);
        assertThat(pending.completed(2)).containsExactly("a", "b");
        emit("c");
        pending.snapshot(3);
        assertThat(pending.completed(1)).isEmpty();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void checkpointsWithNothingEmittedCoverNothing() {
        pending.snapshot(1);
        pending.snapshot(2);
        assertThat(pending.completed(2)).isEmpty();
        emit("a");
        assertThat(pending.completed(5)).as("emitted after the last barrier").isEmpty();
        pending.snapshot(6);
        assertThat(pending.completed(6)).containsExactly("a");
    }
}
