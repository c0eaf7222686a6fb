package dev.cdc.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.metrics.ConsumerMetrics;
import dev.cdc.common.metrics.PrometheusText;
import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.common.progress.ConsumerProgress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Grafana dashboard in docs/grafana asks only for metrics the broker and the consumers really serve. */
class GrafanaDashboardIT {

    @TempDir
    Path dir;

    @Test
    void everyMetricTheDashboardQueriesIsServed() throws Exception {
        Set<String> served = new TreeSet<>();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        QueueSpec queue = new QueueSpec("cdc.events", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 5, "cdc.dead",
                16L << 20);
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port, dir, 64L << 20)) {
            broker.provision(queue);
            PrometheusText.parse(new BrokerMetrics(broker, List.of(queue)).scrape()).samples()
                    .forEach(sample -> served.add(sample.name()));
        }
        // a database that does not answer still serves every name (up 0, the rest NaN): the names are what counts here
        PrometheusText.parse(new PostgresMetrics("jdbc:postgresql://127.0.0.1:" + port + "/cdc", "cdc", "none").scrape())
                .samples().forEach(sample -> served.add(sample.name()));
        for (String engine : List.of("spark", "flink")) {
            ChangeLatency latency = new ChangeLatency();
            latency.record(250);
            ChangeLatency.Snapshot l = latency.snapshot();
            ConsumerMetrics metrics = new ConsumerMetrics(engine);
            metrics.update(new ConsumerProgress(engine, 10, 10, 0, 0,
                    new ConsumerProgress.Batches(1, 1, 100, 1, 1, 1, 50, 30, 20),
                    new ConsumerProgress.Deliveries(1, 1, 0, 1, 0, java.util.Map.of("changes", 0L),
                            java.util.Map.of("changes", 0L)),
                    new ConsumerProgress.Latency(l.p50(), l.p99(), l.totalP50(), l.totalP99(), l.totalMax(), l.encoded(), 0),
                    new ConsumerProgress.Source(10, 10, 0, 0, 1_200),
                    java.util.Map.of("MALFORMED_JSON", 0L), java.util.Map.of("cdc_orders", 10L), null));
            PrometheusText.parse(metrics.scrape()).samples().forEach(sample -> served.add(sample.name()));
        }

        JsonNode dashboard = DebeziumJsonCodec.mapper().readTree(Files.readString(Path.of("..", "docs", "grafana",
                "cdc-pipeline.json")));
        Set<String> queried = new TreeSet<>();
        Pattern metric = Pattern.compile("\\bcdc_[a-z0-9_]+");
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                Matcher m = metric.matcher(target.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(queried.stream().filter(name -> !served.contains(name)).collect(Collectors.toList()))
                .as("queried by the dashboard but served by nothing (served: " + served + ")").isEmpty();
    }
}
