package dev.cdc.e2e.pipeline;

/**
 * A target compared with the generator's truth (0 missing, 0 extra, 0 different) and its dead letters counted
 * against the ones the truth expects.
 *
 * @param summary one line ("0 missing, 0 extra, 0 different; DLQ 3 of 3")
 * @param details the verifier's full report, for people and logs
 */
public record TruthVerdict(boolean targetMatches, long deadLetters, long expectedDeadLetters, String summary,
                           String details) {

    public boolean passed() {
        return targetMatches && deadLetters == expectedDeadLetters;
    }

    public String failure() {
        if (!targetMatches) {
            return "target differs from the truth: " + summary;
        }
        return deadLetters == expectedDeadLetters ? "" : deadLetters + " dead letters, " + expectedDeadLetters + " expected";
    }
}
