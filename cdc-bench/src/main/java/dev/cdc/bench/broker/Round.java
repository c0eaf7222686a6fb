package dev.cdc.bench.broker;

import dev.cdc.bench.Statistics;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** One round: the four measurements, and whether the raw side ran first in each pair. */
public record Round(int number, boolean rawFirst, Map<Kind, Measurement> measurements) {

    public Round {
        measurements = Map.copyOf(measurements);
    }

    /** Msgs/s of one kind in this round; NaN when it was not measured. */
    public double perSecond(Kind kind) {
        return value(kind, Measurement::perSecond);
    }

    /** A figure of one kind's measurement in this round; NaN when it was not measured. */
    public double value(Kind kind, ToDoubleFunction<Measurement> of) {
        Measurement m = measurements.get(kind);
        return m == null ? Double.NaN : of.applyAsDouble(m);
    }

    /** Adapter over raw publish in this round. */
    public double publishRatio() {
        return Statistics.ratio(perSecond(Kind.ADAPTER_PUBLISH), perSecond(Kind.RAW_PUBLISH));
    }

    /** Adapter over raw publish-to-consume in this round. */
    public double publishConsumeRatio() {
        return Statistics.ratio(perSecond(Kind.ADAPTER_PUBLISH_CONSUME), perSecond(Kind.RAW_PUBLISH_CONSUME));
    }
}
