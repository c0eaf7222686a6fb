package dev.cdc.common.admission;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.common.event.TableId;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Admission} needs to know about the publisher, read by both architectures from the same keys:
 * {@code events.topic-layout} and, per source table, {@code tables.<SCHEMA.TABLE>.key: [COL, ...]}, the row key of
 * a table whose messages carry none.
 */
public record AdmissionSettings(TopicLayout layout, Map<TableId, List<String>> keys) implements Serializable {

    /** The configuration sections these settings live in, for {@link Configuration#validate}. */
    public static final List<String> SECTIONS = List.of("events", "tables");

    public static final Setting<String> TOPIC_LAYOUT = new Setting<>("events.topic-layout",
            "where a change's schema, table and operation sit in its topic ({schema}, {table}, {op} levels)",
            TopicLayout.DEFAULT, false, text -> TopicLayout.of(text).toString());

    public AdmissionSettings {
        Map<TableId, List<String>> copy = new LinkedHashMap<>();
        keys.forEach((table, columns) -> copy.put(table, List.copyOf(columns)));
        keys = Map.copyOf(copy);
    }

    public static AdmissionSettings defaults() {
        return new AdmissionSettings(TopicLayout.defaults(), Map.of());
    }

    public static Setting<List<String>> key(String table) {
        return Setting.list("tables." + table + ".key", null,
                "the row key columns of " + table + " when its messages carry no key (a list)");
    }

    /** Every setting of the configuration's {@code tables.*.key} entries and the layout, for validation. */
    public static List<Setting<?>> settings(Configuration config) {
        List<Setting<?>> all = new ArrayList<>();
        all.add(TOPIC_LAYOUT);
        for (String table : config.children("tables", Set.of("key"))) {
            all.add(key(table));
        }
        return all;
    }

    /** @throws ConfigException naming each bad entry */
    public static AdmissionSettings from(Configuration config) {
        List<String> problems = new ArrayList<>();
        Map<TableId, List<String>> keys = new LinkedHashMap<>();
        for (String table : config.children("tables", Set.of("key"))) {
            try {
                keys.put(TableId.parse(table), config.get(key(table)));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            } catch (IllegalArgumentException e) {
                problems.add("tables." + table + ".key: " + e.getMessage());
            }
        }
        TopicLayout layout = null;
        try {
            layout = TopicLayout.of(config.get(TOPIC_LAYOUT));
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new AdmissionSettings(layout, keys);
    }
}
