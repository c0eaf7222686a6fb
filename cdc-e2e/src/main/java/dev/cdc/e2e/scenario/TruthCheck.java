package dev.cdc.e2e.scenario;

import dev.cdc.common.truth.SourceTruth;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;

/**
 * The end of every scenario: the target compared with the generator's truth (0 missing, 0 extra, 0 different) and
 * the dead letters counted against the ones the truth expects. One implementation per target.
 */
interface TruthCheck {

    /**
     * @param foreignDeadLetters messages on the dead-letter topics' queue that are no dead letters of this run (a
     *                           scenario's prefill)
     * @param moreDeadLetters dead letters the scenario caused itself, besides the generator's (its own bad messages)
     */
    Verdict verify(PipelineRun run, SourceTruth truth, long foreignDeadLetters, long moreDeadLetters) throws Exception;

    static TruthCheck of(ConsumerProcess architecture) {
        return architecture == ConsumerProcess.SPARK ? new OdsTruthCheck() : new ApiTruthCheck();
    }

    /**
     * @param summary one line for the table ("0 missing, 0 extra, 0 different; DLQ 3 of 3")
     * @param details the verifier's full report, for the scenario's log
     */
    record Verdict(boolean targetMatches, long deadLetters, long expectedDeadLetters, String summary, String details) {

        public boolean passed() {
            return targetMatches && deadLetters == expectedDeadLetters;
        }

        public String failure() {
            if (!targetMatches) {
                return "target differs from the truth: " + summary;
            }
            return deadLetters == expectedDeadLetters ? ""
                    : deadLetters + " dead letters, " + expectedDeadLetters + " expected";
        }
    }
}
