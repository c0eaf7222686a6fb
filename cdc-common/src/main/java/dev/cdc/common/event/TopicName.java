package dev.cdc.common.event;

import java.util.Objects;

/**
 * A topic of the event contract: {@code cdc/oracle/{SCHEMA}/{TABLE}/{op}} for changes and
 * {@code cdc/dlq/{SCHEMA}/{TABLE}} for dead letters. Anything else is rejected when parsed.
 */
public record TopicName(TableId table, Operation operation) {

    public static final String CHANGE_PREFIX = "cdc/oracle/";
    public static final String DEAD_LETTER_PREFIX = "cdc/dlq/";

    public TopicName {
        Objects.requireNonNull(table, "table");
    }

    public static TopicName change(TableId table, Operation operation) {
        return new TopicName(table, Objects.requireNonNull(operation, "operation"));
    }

    public static TopicName deadLetter(TableId table) {
        return new TopicName(table, null);
    }

    /** True for a dead-letter topic, which has no operation level. */
    public boolean isDeadLetter() {
        return operation == null;
    }

    public static TopicName parse(String topic) {
        if (topic == null) {
            throw invalid(null, "no topic");
        }
        String[] levels = topic.split("/", -1);
        try {
            if (levels.length == 5 && levels[0].equals("cdc") && levels[1].equals("oracle")) {
                return change(new TableId(levels[2], levels[3]), Operation.fromTopicLevel(levels[4]));
            }
            if (levels.length == 4 && levels[0].equals("cdc") && levels[1].equals("dlq")) {
                return deadLetter(new TableId(levels[2], levels[3]));
            }
        } catch (IllegalArgumentException e) {
            throw invalid(topic, e.getMessage());
        }
        throw invalid(topic, "wrong levels");
    }

    private static IllegalArgumentException invalid(String topic, String why) {
        return new IllegalArgumentException("not a CDC topic: \"" + topic + "\" (" + why
                + "); expected cdc/oracle/{SCHEMA}/{TABLE}/{insert|update|delete|snapshot} or cdc/dlq/{SCHEMA}/{TABLE}");
    }

    @Override
    public String toString() {
        return isDeadLetter()
                ? DEAD_LETTER_PREFIX + table.schema() + "/" + table.table()
                : CHANGE_PREFIX + table.schema() + "/" + table.table() + "/" + operation.topicLevel();
    }
}
