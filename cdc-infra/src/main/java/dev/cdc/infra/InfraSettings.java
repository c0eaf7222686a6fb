package dev.cdc.infra;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import java.nio.file.Path;
import java.util.List;

/** Settings of the embedded infrastructure (section {@code infra}). */
public final class InfraSettings {

    public static final Setting<String> DATA_DIR = Setting.string("infra.data-dir", "data",
            "where the embedded broker and PostgreSQL keep their data (relative to the project directory)");
    public static final Setting<Integer> BROKER_GLOBAL_MAX_MB = Setting.integer("infra.broker-global-max-mb", 512, 16, 1_000_000,
            "memory for messages across all broker addresses, past which publishers wait");

    public static final Setting<String> METRICS_HOST = Setting.string("infra.metrics-host", "127.0.0.1",
            "the address the broker's Prometheus metrics are served on");
    public static final Setting<Integer> METRICS_PORT = Setting.integer("infra.metrics-port", 9466, 0, 65535,
            "the port of the broker's Prometheus metrics (GET /metrics, served by ./cdc infra); 0 takes a free one");
    public static final List<Setting<?>> ALL = List.of(DATA_DIR, BROKER_GLOBAL_MAX_MB, METRICS_HOST, METRICS_PORT);

    private InfraSettings() {
    }

    public static Path dataDir(Configuration config, Path home) {
        return home.resolve(config.get(DATA_DIR)).normalize();
    }
}
