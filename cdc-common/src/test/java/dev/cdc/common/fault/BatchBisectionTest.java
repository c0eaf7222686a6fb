package dev.cdc.common.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchBisectionTest {

    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    static final class Down extends Exception {
        Down() {
            super("down");
        }
    }

    static final FaultClassifier CLASSIFIER = e -> e instanceof Invalid ? FaultKind.INVALID : FaultKind.TRANSIENT;

    static Stream<Arguments> badRecords() {
        return Stream.of(
                Arguments.of(13, Set.of()),
                Arguments.of(13, Set.of(0)),
                Arguments.of(13, Set.of(12)),
                Arguments.of(13, Set.of(6)),
                Arguments.of(13, Set.of(0, 12)),
                Arguments.of(13, Set.of(3, 4)),
                Arguments.of(16, Set.of(1, 7, 8, 15)),
                Arguments.of(5, Set.of(0, 1, 2, 3, 4)),
                Arguments.of(1, Set.of(0)),
                Arguments.of(1, Set.of()));
    }

    @ParameterizedTest(name = "{1} bad among {0}")
    @MethodSource("badRecords")
    void isolatesExactlyTheBadRecordsAndAcceptsEveryOtherOnce(int size, Set<Integer> bad) throws Exception {
        List<Integer> batch = IntStream.range(0, size).boxed().toList();
        List<Integer> written = new ArrayList<>();
        BatchBisection.Outcome<Integer, List<Integer>> outcome = BatchBisection.apply(batch, part -> {
            for (Integer r : part) {
                if (bad.contains(r)) {
                    throw new Invalid("record " + r + " refused");
                }
            }
            written.addAll(part);
            return List.copyOf(part);
        }, CLASSIFIER);

        List<Integer> good = batch.stream().filter(r -> !bad.contains(r)).toList();
        assertThat(outcome.refused()).extracting(BatchBisection.Refused::record)
                .containsExactlyElementsOf(batch.stream().filter(bad::contains).toList());
        assertThat(outcome.refused()).allSatisfy(r -> assertThat(r.reason())
                .hasMessage("record " + r.record() + " refused"));
        assertThat(written).as("every good record accepted once, in batch order").containsExactlyElementsOf(good);
        assertThat(outcome.accepted().stream().flatMap(List::stream).toList()).containsExactlyElementsOf(good);
    }

    @Test
    void aBatchWithoutBadRecordsCostsOneAttempt() throws Exception {
        List<List<Integer>> attempts = new ArrayList<>();
        BatchBisection.apply(List.of(1, 2, 3), part -> attempts.add(part), CLASSIFIER);
        assertThat(attempts).containsExactly(List.of(1, 2, 3));
    }

    @Test
    void anEmptyBatchIsNotAttempted() throws Exception {
        BatchBisection.Outcome<Integer, Object> outcome = BatchBisection.apply(List.of(), part -> {
            throw new AssertionError("attempted");
        }, CLASSIFIER);
        assertThat(outcome.accepted()).isEmpty();
        assertThat(outcome.refused()).isEmpty();
    }

    @Test
    void aFaultThatIsNotInvalidEndsTheBisectionAndIsRethrown() {
        List<List<Integer>> attempts = new ArrayList<>();
        Down down = new Down();
        assertThatThrownBy(() -> BatchBisection.apply(List.of(1, 2, 3, 4), part -> {
            attempts.add(part);
            if (part.contains(1) && part.size() > 1) {
                throw new Invalid("1 refused");
            }
            throw down; // the target went down in the middle: not a reason to call anything invalid
        }, CLASSIFIER)).isSameAs(down);
        assertThat(attempts).containsExactly(List.of(1, 2, 3, 4), List.of(1, 2), List.of(1));
    }
}
