package dev.cdc.common.event;

/**
 * The kind of a change, as Debezium's {@code op} field writes it and as the topic's last level names it.
 */
public enum Operation {
    CREATE("c", "insert"),
    UPDATE("u", "update"),
    DELETE("d", "delete"),
    /** A row read by the initial snapshot. */
    READ("r", "snapshot");

    private final String code;
    private final String topicLevel;

    Operation(String code, String topicLevel) {
        this.code = code;
        this.topicLevel = topicLevel;
    }

    /** Debezium's one-letter code: c, u, d or r. */
    public String code() {
        return code;
    }

    /** The topic level: insert, update, delete or snapshot. */
    public String topicLevel() {
        return topicLevel;
    }

    public static Operation fromCode(String code) {
        for (Operation op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown op \"" + code + "\"; expected one of c, u, d, r");
    }

    public static Operation fromTopicLevel(String level) {
        for (Operation op : values()) {
            if (op.topicLevel.equals(level)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operation \"" + level + "\"; expected one of insert, update, delete, snapshot");
    }
}
