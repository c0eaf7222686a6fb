package dev.cdc.flink.job;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * Join state expires when nobody has written it for the configured time: memory stays bounded. Expired entries are
 * never read, and are removed one per state access in the background: the heap backend's default visits five, each
 * a copy of the entry (a whole map for map state), which cost a tenth of the job's time at a few thousand events/s
 * for state that expires after days.
 */
final class StateTtl {

    private StateTtl() {
    }

    static StateTtlConfig of(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupIncrementally(1, false)
                .build();
    }
}
