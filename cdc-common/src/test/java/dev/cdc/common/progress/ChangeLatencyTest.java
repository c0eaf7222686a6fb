package dev.cdc.common.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ChangeLatencyTest {

    @Test
    void eachSnapshotReportsItsIntervalAndTheRunSoFarInAFormThatDecodes() {
        ChangeLatency latency = new ChangeLatency();
        for (long ms = 1; ms <= 100; ms++) {
            latency.record(ms);
        }
        ChangeLatency.Snapshot first = latency.snapshot();
        latency.record(1_000);
        ChangeLatency.Snapshot second = latency.snapshot();

        assertThat(first.p50()).isEqualTo(50);
        assertThat(first.p99()).isEqualTo(99);
        assertThat(second.p50()).as("the second interval holds one value").isEqualTo(1_000);
        assertThat(second.totalMax()).isEqualTo(1_000);
        assertThat(second.totalP50()).isEqualTo(51);

        Histogram merged = ChangeLatency.histogram();
        merged.add(ChangeLatency.decode(first.encoded()));
        merged.add(ChangeLatency.decode(second.encoded()));
        assertThat(merged.getTotalCount()).isEqualTo(101);
    }

    @Test
    void nothingMeasuredReadsMinusOneAndOutOfRangeValuesAreClamped() {
        ChangeLatency latency = new ChangeLatency();
        assertThat(latency.snapshot().p99()).isEqualTo(-1);
        latency.record(-5);
        assertThat(latency.snapshot().p50()).isZero();
        assertThatThrownBy(() -> ChangeLatency.decode("not base64!")).isInstanceOf(IllegalArgumentException.class);
    }
}
