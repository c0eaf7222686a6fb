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

    public static final List<Setting<?>> ALL = List.of(DATA_DIR, BROKER_GLOBAL_MAX_MB);

    private InfraSettings() {
    }

    public static Path dataDir(Configuration config, Path home) {
        return home.resolve(config.get(DATA_DIR)).normalize();
    }
}
