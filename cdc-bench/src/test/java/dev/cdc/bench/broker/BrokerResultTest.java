package dev.cdc.bench.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdicts drawn from the rounds: medians, ratios, the bar. Nothing here is timed. */
class BrokerResultTest {

    @Test
    void verdictAgainstTheBar() {
        assertThat(BrokerResult.verdict(0.8)).isEqualTo("PASS");
        assertThat(BrokerResult.verdict(0.7999)).isEqualTo("FAIL");
        assertThat(BrokerResult.verdict(1.2)).isEqualTo("PASS");
        assertThat(BrokerResult.verdict(Double.NaN)).isEqualTo("FAIL");
    }

    @Test
    void publishRateIsOverThePublishTime() {
        Measurement m = new Measurement(1000, 500_000_000L, 250_000_000L, 90_000_000L, 10_000_000L, 0);
        assertThat(m.perSecond()).isEqualTo(2_000.0);
        assertThat(m.publishPerSecond()).isEqualTo(4_000.0);
        assertThat(m.processCpuMicrosPerMessage()).isEqualTo(90.0);
    }

    @Test
    void resultUsesTheMediansOfTheRounds() {
        BrokerResult r = threeRounds();
        assertThat(r.median(Kind.RAW_PUBLISH)).isCloseTo(5000.0, within(1e-3));
        assertThat(r.median(Kind.ADAPTER_PUBLISH)).isCloseTo(4500.0, within(1e-3));
        assertThat(r.median(Kind.ADAPTER_PUBLISH_CONSUME, Measurement::consumerCpuMicrosPerMessage)).isEqualTo(20.0);
        assertThat(r.publishRatio()).isCloseTo(0.9, within(1e-6));
        assertThat(r.publishConsumeRatio()).isCloseTo(3500.0 / 4000.0, within(1e-6));
        assertThat(r.passed()).isTrue();
    }

    @Test
    void eachRoundHasItsOwnRatios() {
        Round second = threeRounds().rounds().get(1);
        assertThat(second.rawFirst()).isFalse();
        assertThat(second.publishRatio()).isCloseTo(3000.0 / 5200.0, within(1e-6));
        assertThat(second.publishConsumeRatio()).isCloseTo(3600.0 / 4200.0, within(1e-6));
    }

    @Test
    void oneRatioBelowTheBarFails() {
        BrokerResult r = result(new double[][] {{5000, 4500, 4000, 3000}});
        assertThat(r.publishConsumeRatio()).isCloseTo(0.75, within(1e-6));
        assertThat(r.passed()).isFalse();
    }

    @Test
    void aKindNotMeasuredIsNaNAndFails() {
        Round round = new Round(1, true, Map.of(Kind.RAW_PUBLISH, new Measurement(1000, 1_000_000_000L, 1_000_000_000L, -1, -1, 0)));
        BrokerResult r = new BrokerResult(1000, 1024, 0, 1000, 1000, "now", List.of(round), Map.of(), List.of(), null);
        assertThat(round.perSecond(Kind.ADAPTER_PUBLISH)).isNaN();
        assertThat(r.publishRatio()).isNaN();
        assertThat(r.median(Kind.RAW_PUBLISH, Measurement::processCpuMicrosPerMessage)).isNaN();
        assertThat(r.passed()).isFalse();
    }

    static BrokerResult threeRounds() {
        return result(new double[][] {
                {5000, 4500, 4000, 3000},
                {5200, 3000, 4200, 3600},
                {4800, 4600, 3900, 3500}});
    }

    /** Rounds of {raw publish, adapter publish, raw p→c, adapter p→c} msgs/s for 1,000 messages each. */
    static BrokerResult result(double[][] perRound) {
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < perRound.length; i++) {
            Map<Kind, Measurement> m = new EnumMap<>(Kind.class);
            Kind[] kinds = Kind.values();
            for (int k = 0; k < kinds.length; k++) {
                long nanos = Math.round(1000 / perRound[i][k] * 1e9);
                m.put(kinds[k], new Measurement(1000, nanos, nanos / 2, 100_000_000L * (k + 1), 10_000_000L,
                        kinds[k].consumes() ? 20_000_000L : 0));
            }
            rounds.add(new Round(i + 1, i % 2 == 0, m));
        }
        return new BrokerResult(1000, 1024, 100, 1000, 1000, "2026-11-01T00:00:00Z", rounds,
                Map.of("cores", 2, "java_version", "17.0.15"), List.of("a \"quoted\"\nwarning"), null);
    }
}
