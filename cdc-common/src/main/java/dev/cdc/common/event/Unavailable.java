package dev.cdc.common.event;

/**
 * Debezium's {@code __debezium_unavailable_value}: a LOB the connector did not read because it did not change.
 * It means "keep what the row holds" and is never a value to store.
 */
public enum Unavailable {
    VALUE;

    /** The placeholder text Debezium writes into a string column. */
    public static final String PLACEHOLDER = "__debezium_unavailable_value";

    @Override
    public String toString() {
        return PLACEHOLDER;
    }
}
