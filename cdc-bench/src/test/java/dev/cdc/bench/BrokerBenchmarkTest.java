package dev.cdc.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.bench.BrokerBenchmark.Kind;
import dev.cdc.bench.BrokerBenchmark.Measurement;
import dev.cdc.bench.BrokerBenchmark.Result;
import dev.cdc.bench.BrokerBenchmark.Round;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of the broker benchmark: verdicts, the report. Nothing here is timed. */
class BrokerBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void verdictAgainstTheBar() {
        assertThat(BrokerBenchmark.verdict(0.8)).isEqualTo("PASS");
        assertThat(BrokerBenchmark.verdict(0.7999)).isEqualTo("FAIL");
        assertThat(BrokerBenchmark.verdict(1.2)).isEqualTo("PASS");
        assertThat(BrokerBenchmark.verdict(Double.NaN)).isEqualTo("FAIL");
    }

    @Test
    void publishRateIsOverThePublishTime() {
        assertThat(new Measurement(1000, 500_000_000L, 250_000_000L, 90_000_000L, 10_000_000L, 0).publishPerSecond()).isEqualTo(4_000.0);
    }

    @Test
    void theGroupIsTheAdaptersOne() {
        assertThat(BrokerBenchmark.group("cdc/oracle/BENCH/T/insert", "{\"ID\":1}")).isEqualTo("cdc/oracle/BENCH/T|{\"ID\":1}");
    }

    @Test
    void resultUsesTheMediansOfTheRounds() {
        Result r = result(new double[][] {
                {5000, 4500, 4000, 3000},
                {5200, 3000, 4200, 3600},
                {4800, 4600, 3900, 3500}});
        assertThat(r.median(Kind.RAW_PUBLISH)).isCloseTo(5000.0, within(1e-3));
        assertThat(r.median(Kind.ADAPTER_PUBLISH)).isCloseTo(4500.0, within(1e-3));
        assertThat(r.publishRatio()).isCloseTo(0.9, within(1e-6));
        assertThat(r.publishConsumeRatio()).isCloseTo(3500.0 / 4000.0, within(1e-6));
        assertThat(r.passed()).isTrue();
    }

    @Test
    void oneRatioBelowTheBarFails() {
        Result r = result(new double[][] {{5000, 4500, 4000, 3000}});
        assertThat(r.publishConsumeRatio()).isCloseTo(0.75, within(1e-6));
        assertThat(r.passed()).isFalse();
        assertThat(r.table()).contains("publish→consume   0.750  FAIL").contains("publish           0.900  PASS");
    }

    @Test
    void theJsonReportHoldsEveryRoundTheMediansAndTheVerdicts() throws Exception {
        Result r = result(new double[][] {
                {5000, 4500, 4000, 3000},
                {5200, 3000, 4200, 3600},
                {4800, 4600, 3900, 3500}});
        Path file = dir.resolve("sub/broker.json");
        BrokerBenchmark.writeJson(r, file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        assertThat(json.get("messages").asInt()).isEqualTo(1000);
        assertThat(json.get("message_bytes").asInt()).isEqualTo(1024);
        assertThat(json.get("environment").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("environment").get("java_version").asText()).isEqualTo("17.0.15");
        assertThat(json.get("rounds")).hasSize(3);
        JsonNode second = json.get("rounds").get(1);
        assertThat(second.get("order").get(0).asText()).isEqualTo("adapter");
        assertThat(second.get("adapter_publish").get("msgs_per_s").asDouble()).isEqualTo(3000.0);
        assertThat(second.get("raw_publish_consume").get("publish_side_msgs_per_s").asDouble()).isEqualTo(8400.0);
        assertThat(json.get("median_msgs_per_s").get("raw_publish").asDouble()).isEqualTo(5000.0);
        assertThat(json.get("median_msgs_per_s").get("adapter_publish_consume").asDouble()).isEqualTo(3500.0);
        assertThat(json.get("adapter_over_raw").get("publish").get("ratio").asDouble()).isEqualTo(0.9);
        assertThat(json.get("adapter_over_raw").get("publish").get("verdict").asText()).isEqualTo("PASS");
        assertThat(json.get("adapter_over_raw").get("publish_consume").get("ratio").asDouble()).isEqualTo(0.875);
        assertThat(json.get("median_cpu_us_per_msg").get("raw_publish").get("process").asDouble()).isEqualTo(100.0);
        assertThat(json.get("median_cpu_us_per_msg").get("adapter_publish_consume").get("consumer_thread").asDouble()).isEqualTo(20.0);
        assertThat(json.get("median_cpu_us_per_msg").get("raw_publish").has("consumer_thread")).isFalse();
        assertThat(json.get("passed").asBoolean()).isTrue();
        assertThat(json.get("warnings").get(0).asText()).isEqualTo("a \"quoted\"\nwarning");
    }

    @Test
    void jsonWritesNumbersThatJsonCannotHoldAsNull() throws Exception {
        String text = Json.write(Map.of("nan", Double.NaN));
        assertThat(new ObjectMapper().readTree(text).get("nan").isNull()).isTrue();
    }

    @Test
    void commandLineFlags() {
        BrokerBenchmark.Options o = BrokerBenchmark.parse(new String[] {
                "--messages", "5,000", "--rounds", "5", "--out", "x.json", "--data-dir", "d"});
        assertThat(o.messages()).isEqualTo(5000);
        assertThat(o.rounds()).isEqualTo(5);
        assertThat(o.out()).isEqualTo(Path.of("x.json"));
        assertThat(o.dataParent()).isEqualTo(Path.of("d"));
        assertThat(o.warmupMessages()).as("warm-up defaults to a full measurement").isEqualTo(5000);
        assertThat(o.withWarmup(100).warmupMessages()).isEqualTo(100);
        assertThat(BrokerBenchmark.parse(new String[] {"--help"})).isNull();
        assertThatThrownBy(() -> BrokerBenchmark.parse(new String[] {"--messages", "many"}))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> BrokerBenchmark.parse(new String[] {"--rounds", "0"}))
                .hasMessageContaining("rounds must be at least 1");
        assertThatThrownBy(() -> BrokerBenchmark.parse(new String[] {"--bogus", "1"}))
                .hasMessageContaining("unknown flag --bogus");
    }

    /** Rounds of {raw publish, adapter publish, raw p→c, adapter p→c} msgs/s for 1,000 messages each. */
    private static Result result(double[][] perRound) {
        List<Round> rounds = new java.util.ArrayList<>();
        for (int i = 0; i < perRound.length; i++) {
            Map<Kind, Measurement> m = new EnumMap<>(Kind.class);
            Kind[] kinds = Kind.values();
            for (int k = 0; k < kinds.length; k++) {
                long nanos = Math.round(1000 / perRound[i][k] * 1e9);
                m.put(kinds[k], new Measurement(1000, nanos, nanos / 2, 100_000_000L * (k + 1), 10_000_000L, kinds[k].consumes() ? 20_000_000L : 0));
            }
            rounds.add(new Round(i + 1, i % 2 == 0, m));
        }
        return new Result(1000, 1024, 100, 1000, 1000, "2026-11-01T00:00:00Z", rounds,
                Map.of("cores", 2, "java_version", "17.0.15"), List.of("a \"quoted\"\nwarning"), null);
    }
}
