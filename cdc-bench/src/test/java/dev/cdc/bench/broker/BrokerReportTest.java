package dev.cdc.bench.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker benchmark's JSON report and its table, rendered from a made-up result. */
class BrokerReportTest {

    @TempDir
    Path dir;

    @Test
    void theJsonReportHoldsEveryRoundTheMediansAndTheVerdicts() throws Exception {
        Path file = dir.resolve("sub/broker.json");
        BrokerReport.writeJson(BrokerResultTest.threeRounds(), file);
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
        assertThat(second.get("publish_ratio").asDouble()).isEqualTo(0.5769);
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
    void theTableShowsEveryRoundTheMediansAndTheVerdicts() {
        String table = BrokerReport.table(BrokerResultTest.threeRounds().withReportFile(Path.of("broker.json")));
        assertThat(table.replace("\r\n", "\n")).isEqualTo("""
                Broker benchmark: 1,000 persistent 1,024-byte messages per measurement, 3 rounds (after 100 warm-up), embedded Artemis, Java 17.0.15, 2 cores
                msgs/s                         round 1    round 2*     round 3      median
                publish          raw             5,000       5,200       4,800       5,000
                                 adapter         4,500       3,000       4,600       4,500
                publish→consume  raw             4,000       4,200       3,900       4,000
                                 adapter         3,000       3,600       3,500       3,500
                (* the adapter ran first in that round's pairs)

                CPU µs/msg (medians)           process      sender    consumer
                publish          raw             100.0        10.0           -
                                 adapter         200.0        10.0           -
                publish→consume  raw             300.0        10.0        20.0
                                 adapter         400.0        10.0        20.0

                adapter/raw (medians), bar 0.80:
                  publish           0.900  PASS
                  publish→consume   0.875  PASS
                WARNING: a "quoted"
                warning
                JSON: broker.json
                charts: broker.html
                """);
    }

    @Test
    void aRatioBelowTheBarFailsInTheTable() {
        String table = BrokerReport.table(BrokerResultTest.result(new double[][] {{5000, 4500, 4000, 3000}}));
        assertThat(table).contains("publish→consume   0.750  FAIL").contains("publish           0.900  PASS")
                .contains(" 1 round (after").doesNotContain("round 1*").doesNotContain("JSON:");
    }
}
