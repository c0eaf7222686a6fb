package dev.cdc.bench.broker;

import dev.cdc.bench.Statistics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Everything the broker benchmark measured, with the environment it was measured in, and the verdicts drawn
 * from it; {@code reportFile} is where the JSON went. {@link BrokerReport} renders it.
 */
public record BrokerResult(int messages, int messageBytes, int warmup, int inFlight, int prefetch, String started,
                           List<Round> rounds, Map<String, Object> environment, List<String> warnings, Path reportFile) {

    public BrokerResult {
        rounds = List.copyOf(rounds);
        environment = new LinkedHashMap<>(environment);
        warnings = List.copyOf(warnings);
    }

    /** The median msgs/s of one kind over the rounds. */
    public double median(Kind kind) {
        return median(kind, Measurement::perSecond);
    }

    /** The median of one kind's figure over the rounds. */
    public double median(Kind kind, ToDoubleFunction<Measurement> of) {
        return Statistics.median(rounds.stream().mapToDouble(r -> r.value(kind, of)).toArray());
    }

    /** Adapter over raw publish, medians. */
    public double publishRatio() {
        return Statistics.ratio(median(Kind.ADAPTER_PUBLISH), median(Kind.RAW_PUBLISH));
    }

    /** Adapter over raw publish-to-consume, medians. */
    public double publishConsumeRatio() {
        return Statistics.ratio(median(Kind.ADAPTER_PUBLISH_CONSUME), median(Kind.RAW_PUBLISH_CONSUME));
    }

    /** Both ratios at or above the bar. */
    public boolean passed() {
        return passes(publishRatio()) && passes(publishConsumeRatio());
    }

    /** A ratio at or above {@link BrokerBenchmark#BAR}. */
    public static boolean passes(double ratio) {
        return !Double.isNaN(ratio) && ratio >= BrokerBenchmark.BAR;
    }

    /** PASS or FAIL. */
    public static String verdict(double ratio) {
        return passes(ratio) ? "PASS" : "FAIL";
    }

    BrokerResult withReportFile(Path file) {
        return new BrokerResult(messages, messageBytes, warmup, inFlight, prefetch, started, rounds, environment, warnings, file);
    }
}
