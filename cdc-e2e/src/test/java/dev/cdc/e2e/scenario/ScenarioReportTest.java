package dev.cdc.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioReportTest {

    private final ScenarioResult pass = new ScenarioResult("F1", "spark", "SIGKILL under load, restart", 10_504, 20.94,
            10_504, 10_504, "0 missing, 0 extra, 0 different; DLQ 0 of 0", true, "", 109.2);
    private final ScenarioResult fail = new ScenarioResult("O1", "flink", "checkpoint removed", 900, -1, 8_000, 9_000,
            "problems: changes 60; DLQ 0 of 0", false, "target differs from the truth", 95);

    @Test
    void theTableHasAColumnPerObservationAndTheVerdictWithItsReason() {
        String table = new ScenarioReport(List.of(pass, fail), 204.4).table();
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("scenario  arch ").contains("lag peak", "recovery", "truth", "result");
        assertThat(lines.get(1)).contains("F1", "spark", "10,504", "20.9 s", "10,504/10,504").endsWith("PASS");
        assertThat(lines.get(2)).contains("O1", "flink", "   -  ").endsWith("FAIL: target differs from the truth");
        assertThat(lines.get(3)).isEqualTo("1 of 2 passed, 1 failed, in 204 s");
        assertThat(lines.get(1).indexOf("spark")).isEqualTo(lines.get(2).indexOf("flink")); // columns line up
    }

    @Test
    void theJsonCarriesEveryFieldAndTheSuiteVerdict() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new ScenarioReport(List.of(pass, fail), 204.4).json());
        assertThat(json.path("passed").asBoolean()).isFalse();
        assertThat(json.path("seconds").asLong()).isEqualTo(204);
        JsonNode first = json.path("scenarios").get(0);
        assertThat(first.path("id").asText()).isEqualTo("F1");
        assertThat(first.path("recovery_seconds").asDouble()).isEqualTo(20.9);
        assertThat(first.path("consumed").asLong()).isEqualTo(10_504);
        assertThat(json.path("scenarios").get(1).path("recovery_seconds").isNull()).isTrue();
        assertThat(json.path("scenarios").get(1).path("reason").asText()).isEqualTo("target differs from the truth");
    }

    @Test
    void anEmptyReportIsNotAPass() {
        assertThat(new ScenarioReport(List.of(), 0).passed()).isFalse();
        assertThat(new ScenarioReport(List.of(pass), 1).passed()).isTrue();
    }
}
