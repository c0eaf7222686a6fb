package dev.cdc.generator.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.event.TopicName;
import dev.cdc.common.metrics.PrometheusText;
import dev.cdc.generator.GeneratedMessage;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteredSinkTest {

    @TempDir
    Path dir;

    @Test
    void itCountsWhatTheGeneratorPublishedByTableAndOperation() throws Exception {
        MessageList list = new MessageList();
        MeteredSink metered = new MeteredSink(list);
        GeneratorRun.run(GeneratorConfig.builder().seed(5).rate(Rate.MAX).events(800L)
                .scenarios(Scenario.parseList("F6")).build(), metered, null, null);
        PrometheusText text = PrometheusText.parse(metered.scrape());

        Map<String, Long> expected = list.messages().stream().collect(Collectors.groupingBy(m -> {
            try {
                TopicName t = TopicName.parse(m.topic());
                return t.table() + "/" + m.topic().substring(m.topic().lastIndexOf('/') + 1);
            } catch (IllegalArgumentException notACdcTopic) {
                return "other/other";
            }
        }, Collectors.counting()));
        assertThat(expected).hasSizeGreaterThan(4);
        expected.forEach((key, count) -> assertThat(text.value("cdc_generator_published_events_total",
                Map.of("table", key.substring(0, key.indexOf('/')), "op", key.substring(key.indexOf('/') + 1))))
                .as(key).contains((double) count));
        assertThat(text.value("cdc_generator_send_errors_total", Map.of())).contains(0.0);
        assertThat(text.value("cdc_generator_send_seconds_count", Map.of())).contains((double) list.messages().size());
    }

    @Test
    void aSendTheSinkRefusesIsCountedAndStillFails() throws Exception {
        GeneratedMessage message = new GeneratedMessage("cdc/oracle/SALES/ORDERS/insert", Map.of(), null, "{}", false);
        JsonLinesSink closed = JsonLinesSink.open(dir.resolve("m.jsonl"));
        closed.close();
        MeteredSink metered = new MeteredSink(closed);
        assertThatThrownBy(() -> metered.send(message)).as("the failure goes on to the caller").isNotNull();
        assertThat(PrometheusText.parse(metered.scrape()).value("cdc_generator_send_errors_total", Map.of())).contains(1.0);
    }
}
