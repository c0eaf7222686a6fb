package dev.cdc.flink.source;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.Clock;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;

/**
 * Watermarks of the time messages were published ({@link BrokerRecord#publishedAtMillis}), per queue reader: the
 * newest publish time it emitted less {@code skew} (publishers' clocks disagree, and a row's publisher may lag),
 * so that where readers meet, the watermark says every reader has emitted what was published before it.
 *
 * <p>A reader that has received nothing for {@code idleAfter} (while not backpressured: Flink's input activity clock
 * stands still then) lets its watermark follow the wall clock less {@code skew}: nothing it receives next was
 * published much earlier. It does so rather than be marked idle ({@link WatermarkStrategy#withIdleness}): that too
 * keeps an idle reader from holding the others back, but when every reader is idle (a quiet pipeline) the watermark
 * would stop, and what waits for it (a table held at a text column's first sighting) would wait for the next
 * message.
 */
public final class PublishTimeWatermarks implements WatermarkGenerator<BrokerRecord> {

    private final long skewMillis;
    private final long idleAfterMillis;
    private final RelativeClock activity;
    private final Clock wallClock;
    private long newest = Long.MIN_VALUE;
    private long lastEventAt;

    PublishTimeWatermarks(Duration skew, Duration idleAfter, RelativeClock activity, Clock wallClock) {
        this.skewMillis = skew.toMillis();
        this.idleAfterMillis = idleAfter.toMillis();
        this.activity = activity;
        this.wallClock = wallClock;
        this.lastEventAt = activity.relativeTimeMillis();
    }

    /** The source's strategy: the publish time as each record's timestamp, these watermarks. */
    public static WatermarkStrategy<BrokerRecord> strategy(Duration skew, Duration idleAfter) {
        return WatermarkStrategy.<BrokerRecord>forGenerator(context -> new PublishTimeWatermarks(skew, idleAfter,
                        context.getInputActivityClock(), SystemClock.getInstance()))
                .withTimestampAssigner((record, previous) -> record.publishedAtMillis);
    }

    @Override
    public void onEvent(BrokerRecord record, long publishedAt, WatermarkOutput output) {
        newest = Math.max(newest, publishedAt);
        lastEventAt = activity.relativeTimeMillis();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long watermark = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - skewMillis - 1;
        if (activity.relativeTimeMillis() - lastEventAt >= idleAfterMillis) {
            watermark = Math.max(watermark, wallClock.absoluteTimeMillis() - skewMillis - 1);
        }
        if (watermark != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
