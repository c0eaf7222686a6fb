package dev.cdc.ods;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.common.event.TableId;
import dev.cdc.common.fault.RetrySettings;
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
    /** How a database outage is waited out (the core's fault policy): for as long as it lasts, nothing acknowledged. */
    public static final RetrySettings.Keys RETRY = RetrySettings.Keys.under("ods");

    public static final Setting<Duration> WINDOW_LATENESS = Setting.duration("ods.window-lateness", "10m",
            "how late (in source commit time) a change may arrive and still count in its revenue window; then it closes");

    public static final Setting<String> HOME_SCHEMA = Setting.string("ods.home-schema", TableMapping.DEFAULT_HOME_SCHEMA,
            "the source schema whose tables land in cdc_<table>; other schemas' tables in cdc_<schema>_<table>");

    public static Setting<String> tableName(String sourceTable) {
        return Setting.string("ods.tables." + sourceTable + ".name", null, "ODS table of " + sourceTable);
    }

    private OdsSettings() {
    }

    public static List<Setting<?>> all(Configuration config) {
        List<Setting<?>> all = new ArrayList<>(List.of(CONSUMER_ID, ADD_COLUMNS, POOL_SIZE, WINDOW_LATENESS, HOME_SCHEMA));
        all.addAll(RETRY.all());
        for (String table : config.children("ods.tables", Set.of("name"))) {
            all.add(tableName(table));
        }
        return all;
    }

    /** The writer's options as configured: consumer id, tables, XML rules, the sales join, retry, admission. */
    public static dev.cdc.ods.apply.OdsWriter.Options writerOptions(Configuration config) {
        return new dev.cdc.ods.apply.OdsWriter.Options(config.get(CONSUMER_ID), tableMapping(config),
                dev.cdc.common.xml.XmlExtractions.load(config), dev.cdc.common.join.EnrichedOrderDefinition.SALES,
                config.get(ADD_COLUMNS), RETRY.from(config))
                .withWindowLateness(config.get(WINDOW_LATENESS))
                .withAdmission(dev.cdc.common.admission.AdmissionSettings.from(config));
    }

    /** Configured table names; the default rule ({@code cdc_<table>}, other schemas {@code cdc_<schema>_<table>}) covers the rest. */
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
        try {
            return new TableMapping(names, config.get(HOME_SCHEMA));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of("ods.tables: " + e.getMessage()));
        }
    }
}
