package dev.cdc.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class PublishTimeWatermarksTest {

    private final ManualClock clock = new ManualClock(Duration.ofSeconds(10).toNanos()); // epoch 10,000 ms
    private final PublishTimeWatermarks watermarks = new PublishTimeWatermarks(Duration.ofMillis(100),
            Duration.ofSeconds(1), clock, clock);
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            throw new AssertionError("never marked idle: an idle reader's watermark follows the clock");
        }

        @Override
        public void markActive() {
        }
    };

    @Test
    void aReadersWatermarkStaysTheSkewBehindTheNewestPublishTime() {
        watermarks.onPeriodicEmit(output);
        assertThat(emitted).as("nothing received, not idle yet").isEmpty();

        watermarks.onEvent(record(), 9_000, output);
        watermarks.onEvent(record(), 8_500, output);
        watermarks.onPeriodicEmit(output);

        assertThat(emitted).containsExactly(8_899L);
    }

    @Test
    void aReaderThatReceivedNothingForAWhileFollowsTheClock() {
        watermarks.onEvent(record(), 9_000, output);
        clock.advanceTime(Duration.ofMillis(999));
        watermarks.onPeriodicEmit(output);
        clock.advanceTime(Duration.ofMillis(1));
        watermarks.onPeriodicEmit(output);

        assertThat(emitted).containsExactly(8_899L, 10_899L);
    }

    private static BrokerRecord record() {
        return new BrokerRecord("cdc/oracle/SALES/PRODUCTS/update", Map.of(), "{}", 0, 0);
    }
}
