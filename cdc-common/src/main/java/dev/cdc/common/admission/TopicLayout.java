package dev.cdc.common.admission;

import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a change's table and operation sit in its topic, as the publisher lays topics out: levels separated by
 * {@code /}, each a literal or one of {@code {schema}}, {@code {table}}, {@code {op}}; the default is
 * {@code cdc/oracle/{schema}/{table}/{op}}. Read when the payload does not say (a Debezium {@code source} block
 * without schema or table), and used to rebuild a message's topic when the broker did not keep it.
 */
public final class TopicLayout implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String DEFAULT = "cdc/oracle/{schema}/{table}/{op}";

    /** What a topic names: the table, and the operation when the layout has an {@code {op}} level (else null). */
    public record Route(TableId table, String operation) {
    }

    private final String pattern;
    private final List<String> levels;

    private TopicLayout(String pattern, List<String> levels) {
        this.pattern = pattern;
        this.levels = levels;
    }

    /**
     * @throws IllegalArgumentException when the pattern lacks {@code {schema}} or {@code {table}}, names one twice, or
     *     has an empty level
     */
    public static TopicLayout of(String pattern) {
        List<String> levels = List.of(pattern.trim().split("/", -1));
        for (String required : List.of("{schema}", "{table}")) {
            if (levels.stream().filter(required::equals).count() != 1) {
                throw new IllegalArgumentException("expected a topic layout with one " + required + " level, like "
                        + DEFAULT);
            }
        }
        if (levels.stream().filter("{op}"::equals).count() > 1 || levels.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("expected a topic layout of non-empty levels with at most one {op}, like "
                    + DEFAULT);
        }
        return new TopicLayout(pattern.trim(), new ArrayList<>(levels));
    }

    public static TopicLayout defaults() {
        return of(DEFAULT);
    }

    /** The table (and operation level) a topic names, or empty when the topic does not fit the layout. */
    public Optional<Route> route(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        String[] parts = topic.split("/", -1);
        if (parts.length != levels.size()) {
            return Optional.empty();
        }
        String schema = null;
        String table = null;
        String op = null;
        for (int i = 0; i < parts.length; i++) {
            switch (levels.get(i)) {
                case "{schema}" -> schema = parts[i];
                case "{table}" -> table = parts[i];
                case "{op}" -> op = parts[i];
                default -> {
                    if (!levels.get(i).equals(parts[i])) {
                        return Optional.empty();
                    }
                }
            }
        }
        try {
            return Optional.of(new Route(new TableId(schema, table), op));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a wildcard or a queue address, not a table's topic
        }
    }

    /** The topic of a change of {@code table}; {@code op} fills an {@code {op}} level as its topic level. */
    public String topic(TableId table, String opLevel) {
        List<String> out = new ArrayList<>(levels.size());
        for (String level : levels) {
            out.add(switch (level) {
                case "{schema}" -> table.schema();
                case "{table}" -> table.table();
                case "{op}" -> opLevel;
                default -> level;
            });
        }
        return String.join("/", out);
    }

    /** The topic level of an operation code (c, u, d, r, t): insert, update, delete, snapshot, truncate. */
    public static String opLevel(String code) {
        if ("t".equals(code)) {
            return "truncate";
        }
        return Operation.fromCode(code).topicLevel();
    }

    /** Debezium's code of a topic's operation level, or null when the level names none. */
    public static String opCode(String level) {
        if ("truncate".equals(level)) {
            return "t";
        }
        try {
            return Operation.fromTopicLevel(level).code();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return pattern;
    }
}
