package dev.cdc.common.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the records a target refuses as invalid without losing the rest of their batch: a refused batch is split in
 * two and each half tried again, until every refused record is alone; every other record is accepted in some part of
 * the batch. k bad records among n cost about 2k log2(n) extra attempts; a batch with none costs one.
 *
 * <p>The attempt decides what "trying" means: an HTTP request of those records, or applying them after a rollback to
 * a savepoint. It should wait out transient faults itself (through {@link TransientRetry}); any failure the classifier
 * does not call {@link FaultKind#INVALID} is rethrown as is, and the parts accepted before it stay accepted (the
 * caller acknowledges nothing of the batch, so a retry of the whole batch must be harmless: idempotent writes).
 */
public final class BatchBisection {

    /** Tries one part of a batch; throws what the target answered when it refused the part. */
    @FunctionalInterface
    public interface Attempt<R, A> {
        A apply(List<R> part) throws Exception;
    }

    /** A record the target refused on its own, and the failure that said so. */
    public record Refused<R>(R record, Exception reason) {
    }

    /**
     * @param accepted what each accepted part's attempt returned, in batch order
     * @param refused the records refused alone, in batch order
     */
    public record Outcome<R, A>(List<A> accepted, List<Refused<R>> refused) {
    }

    private BatchBisection() {
    }

    /**
     * Tries {@code batch}, splitting the parts the target refuses as invalid.
     *
     * @throws Exception the first failure that is not {@link FaultKind#INVALID}
     */
    public static <R, A> Outcome<R, A> apply(List<R> batch, Attempt<R, A> attempt, FaultClassifier classifier)
            throws Exception {
        Outcome<R, A> outcome = new Outcome<>(new ArrayList<>(), new ArrayList<>());
        if (!batch.isEmpty()) {
            split(batch, attempt, classifier, outcome);
        }
        return outcome;
    }

    private static <R, A> void split(List<R> part, Attempt<R, A> attempt, FaultClassifier classifier,
                                     Outcome<R, A> outcome) throws Exception {
        try {
            outcome.accepted().add(attempt.apply(part));
        } catch (Exception e) {
            if (e instanceof InterruptedException || classifier.classify(e) != FaultKind.INVALID) {
                throw e;
            }
            if (part.size() == 1) {
                outcome.refused().add(new Refused<>(part.get(0), e));
                return;
            }
            int half = part.size() / 2;
            split(part.subList(0, half), attempt, classifier, outcome);
            split(part.subList(half, part.size()), attempt, classifier, outcome);
        }
    }
}
