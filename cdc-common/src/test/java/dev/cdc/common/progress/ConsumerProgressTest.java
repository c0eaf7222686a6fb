package dev.cdc.common.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsumerProgressTest {

    private static final ConsumerProgress SPARK = new ConsumerProgress("spark", 1_500, 1_480, 3, 0,
            new ConsumerProgress.Batches(7, 8, 412, 2, 2, 640, 250, 120, 42), null,
            new ConsumerProgress.Latency(310, 920, 300, 1_100, 1_800, "HISTQ", 12), new ConsumerProgress.Source(1_510, 1_500, 10, 2_048, -1),
            java.util.Map.of("MALFORMED_XML", 2L, "MISSING_KEY", 1L), java.util.Map.of("cdc_orders", 1_000L, "cdc_customers", 480L),
            "http://127.0.0.1:9464/metrics");
    private static final ConsumerProgress FLINK = new ConsumerProgress("flink", 900, 2_100, 1, 4, null,
            new ConsumerProgress.Deliveries(1_000, 200, 5, 77, 0, java.util.Map.of("changes", 3L), java.util.Map.of("alerts", 1L)), new ConsumerProgress.Latency(-1, -1, -1, -1, -1, "", 0), null, null, null, null);

    @Test
    void aProgressLineCarriesTheRecordWhole() {
        assertThat(ConsumerProgress.parse(SPARK.line())).contains(SPARK);
        assertThat(ConsumerProgress.parse(FLINK.line())).contains(FLINK);
    }

    @Test
    void otherLinesAndHalfWrittenOnesAreNotProgress() {
        String line = SPARK.line();
        assertThat(ConsumerProgress.parse(line.substring(0, line.length() / 2))).isEmpty();
        assertThat(ConsumerProgress.parse("12:00:01 INFO something else")).isEmpty();
    }

    @Test
    void peopleReadWhatEachEngineDid() {
        assertThat(SPARK.summary()).isEqualTo("spark: batch 7, 1,500 events (1,480 rows written, 3 dead letters),"
                + " last batch 412 ms (apply 250, recompute 120, driver 42) in 2 tasks on 2 executors, latency p50 310 ms p99 920 ms"
                + " (12 late changes apart)");
        assertThat(FLINK.summary()).isEqualTo("flink: delivered 900 changes, 1,000 enriched orders, 200 alerts"
                + " (5 already held), 1 dead letters, 4 retries, latency p50 - p99 -");
    }
}
