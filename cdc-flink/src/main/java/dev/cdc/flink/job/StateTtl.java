package dev.cdc.flink.job;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/** Join state expires when nobody has written it for the configured time: memory stays bounded. */
final class StateTtl {

    private StateTtl() {
    }

    static StateTtlConfig of(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }
}
