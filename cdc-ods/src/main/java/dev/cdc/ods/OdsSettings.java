package dev.cdc.ods;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.common.event.TableId;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.TableMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The ODS writer's settings (section {@code ods}), declared once. */
public final class OdsSettings {

    public static final Setting<String> CONSUMER_ID = Setting.string("ods.consumer-id", "cdc-ods",
            "names this writer in cdc_applied_batches and dead letters");
    public static final Setting<Boolean> ADD_COLUMNS = Setting.bool("ods.add-columns", true,
            "a new source column becomes a real column; false keeps its values in _extra");
    public static final Setting<Integer> POOL_SIZE = Setting.integer("ods.pool-size", 4, 1, 64,
            "connections to PostgreSQL");
    public static final Setting<Integer> RETRY_ATTEMPTS = Setting.integer("ods.retry.attempts", 0, 0, 1_000_000,
            "tries of a batch while the database is unreachable before the caller is told; 0 (the default): until"
                    + " it is back, however long that takes (nothing is acknowledged meanwhile)");
    public static final Setting<Duration> RETRY_INITIAL = Setting.duration("ods.retry.initial-delay", "200ms",
            "first wait before retrying a batch the database could not take");
    public static final Setting<Duration> RETRY_MAX = Setting.duration("ods.retry.max-delay", "10s",
            "longest wait between retries (exponential backoff with jitter up to it)");

    public static final Setting<Duration> WINDOW_LATENESS = Setting.duration("ods.window-lateness", "10m",
            "how late (in source commit time) a change may arrive and still count in its revenue window; then it closes");

    public static Setting<String> tableName(String sourceTable) {
        return Setting.string("ods.tables." + sourceTable + ".name", null, "ODS table of " + sourceTable);
    }

    private OdsSettings() {
    }

    public static List<Setting<?>> all(Configuration config) {
        List<Setting<?>> all = new ArrayList<>(List.of(CONSUMER_ID, ADD_COLUMNS, POOL_SIZE, RETRY_ATTEMPTS,
                RETRY_INITIAL, RETRY_MAX, WINDOW_LATENESS));
        for (String table : config.children("ods.tables", Set.of("name"))) {
            all.add(tableName(table));
        }
        return all;
    }

    /** Configured table names; the default rule {@code cdc_<table>} covers the rest. */
    public static TableMapping tableMapping(Configuration config) {
        Map<TableId, SqlIdentifier> names = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String table : config.children("ods.tables", Set.of("name"))) {
            try {
                names.put(TableId.parse(table), new SqlIdentifier(config.get(tableName(table))));
            } catch (IllegalArgumentException e) {
                problems.add("ods.tables." + table + ".name: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new TableMapping(names);
    }
}
