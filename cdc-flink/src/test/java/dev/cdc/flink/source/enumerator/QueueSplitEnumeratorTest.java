package dev.cdc.flink.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.flink.source.split.QueueSplit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class QueueSplitEnumeratorTest {

    private static final String QUEUE = "cdc/oracle/SALES/*/>::cdc.events";

    private final RecordingEnumeratorContextDouble context = new RecordingEnumeratorContextDouble(2);
    private final QueueSplitEnumerator enumerator = new QueueSplitEnumerator(QUEUE, context);

    @Test
    void eachRegisteringReaderGetsItsOwnSplitOfTheQueue() {
        enumerator.start();
        context.register(0);
        enumerator.addReader(0);
        context.register(1);
        enumerator.addReader(1);
        assertThat(context.assigned).containsExactly(new Assigned(0, QUEUE + "#0"), new Assigned(1, QUEUE + "#1"));
    }

    @Test
    void aReaderRegisteringAgainAfterAFailoverGetsItsSplitAgain() {
        context.register(1);
        enumerator.addReader(1);
        context.unregister(1);
        enumerator.addSplitsBack(List.of(new QueueSplit(QUEUE, 1)), 1);
        assertThat(context.assigned).as("not registered: nothing to send yet").hasSize(1);
        context.register(1);
        enumerator.addReader(1);
        assertThat(context.assigned).containsExactly(new Assigned(1, QUEUE + "#1"), new Assigned(1, QUEUE + "#1"));
    }

    @Test
    void splitsHandedBackWhileTheReaderIsRegisteredAreAssignedAtOnce() {
        context.register(0);
        enumerator.addSplitsBack(List.of(new QueueSplit(QUEUE, 0)), 0);
        assertThat(context.assigned).containsExactly(new Assigned(0, QUEUE + "#0"));
    }

    @Test
    void theCheckpointNamesTheQueueAndSurvivesItsBytes() throws IOException {
        EnumeratorStateSerializer serializer = new EnumeratorStateSerializer();
        EnumeratorState state = enumerator.snapshotState(4);
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        assertThat(state.queue()).isEqualTo(QUEUE);
        assertThatThrownBy(() -> serializer.deserialize(2, new byte[0])).isInstanceOf(IOException.class)
                .hasMessageContaining("version 2");
    }

    record Assigned(int subtask, String splitId) {
    }

    /** Test double of Flink's enumerator context: records assignments, knows which readers are registered. */
    static final class RecordingEnumeratorContextDouble implements SplitEnumeratorContext<QueueSplit> {

        final List<Assigned> assigned = new ArrayList<>();
        private final Map<Integer, ReaderInfo> readers = new ConcurrentHashMap<>();
        private final int parallelism;

        RecordingEnumeratorContextDouble(int parallelism) {
            this.parallelism = parallelism;
        }

        void register(int subtask) {
            readers.put(subtask, new ReaderInfo(subtask, "localhost"));
        }

        void unregister(int subtask) {
            readers.remove(subtask);
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSplitEnumeratorMetricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            throw new UnsupportedOperationException("the enumerator sends no events");
        }

        @Override
        public int currentParallelism() {
            return parallelism;
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return Map.copyOf(readers);
        }

        @Override
        public void assignSplits(SplitsAssignment<QueueSplit> assignment) {
            assignment.assignment().forEach((subtask, splits) ->
                    splits.forEach(s -> assigned.add(new Assigned(subtask, s.splitId()))));
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            throw new UnsupportedOperationException("a queue never runs out of splits");
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay,
                                  long period) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            runnable.run();
        }
    }
}
