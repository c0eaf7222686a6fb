package dev.cdc.e2e.scenario;

import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.restapi.verify.DeliveryReport;
import dev.cdc.restapi.verify.DeliveryVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Architecture B: what the REST API received (changes, enriched orders, alerts) against the truth, and the dead
 * letters on the broker's dead-letter topics' queue. An empty change queue means the last checkpoint completed, and
 * a checkpoint completes after delivery, so this runs once the queue is drained.
 */
final class ApiTruthCheck implements TruthCheck {

    @Override
    public Verdict verify(PipelineRun run, SourceTruth truth, long foreignDeadLetters, long moreDeadLetters)
            throws Exception {
        DeliveryReport report = new DeliveryVerifier(run.api(), XmlExtractions.load(run.config())).verify(truth);
        StringWriter text = new StringWriter();
        report.render(new PrintWriter(text, true));
        long deadLetters = run.deadLetterTopicDepth() - foreignDeadLetters;
        long expected = truth.deadLetters().size() + moreDeadLetters;
        String problems = report.sections().stream().filter(s -> !s.matches())
                .map(s -> s.name() + " " + s.problemCount()).collect(Collectors.joining(", "));
        String summary = String.format(Locale.ROOT, "%s; DLQ %d of %d",
                problems.isEmpty() ? "0 missing, 0 extra, 0 different" : "problems: " + problems, deadLetters, expected);
        return new Verdict(report.matches(), deadLetters, expected, summary, text.toString());
    }
}
