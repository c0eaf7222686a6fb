package dev.cdc.common.event;

import dev.cdc.common.schema.ConnectSchema;
import java.util.Map;
import java.util.Objects;

/**
 * One row change, decoded from (or to be encoded as) a Debezium envelope.
 *
 * <p>Row images are maps from column name to a decoded Java value: {@code Byte/Short/Integer/Long}, {@code Float/Double},
 * {@code BigDecimal} for decimals, {@code LocalDateTime} for Debezium timestamps without zone, {@code OffsetDateTime}
 * for zoned ones, {@code LocalDate}, {@code String}, {@code Boolean}, {@code byte[]}, {@code Map} for a struct,
 * {@code List} for an array, {@link Unavailable#VALUE} for an unread LOB, or null.
 *
 * @param valueSchema the struct schema of {@code before} and {@code after} (named {@code server.SCHEMA.TABLE.Value})
 * @param key the row key (primary key columns) carried in the message properties; null if unknown
 */
public record ChangeEvent(ConnectSchema valueSchema, Operation op, Map<String, Object> before,
                          Map<String, Object> after, SourceInfo source, Long tsMs, TransactionInfo transaction,
                          Map<String, Object> key) {

    public ChangeEvent {
        Objects.requireNonNull(valueSchema, "valueSchema");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(source, "source");
        if (op == Operation.DELETE ? before == null : after == null) {
            throw new IllegalArgumentException("a " + op + " event needs " + (op == Operation.DELETE ? "before" : "after"));
        }
    }

    public TableId table() {
        return source.tableId();
    }

    public Position position() {
        return source.position();
    }

    /** The change's identity, {@code SCHEMA.TABLE:scn:sequence}: the same for every delivery of this change. */
    public EventId eventId() {
        return new EventId(table(), position());
    }

    /** The image that describes the row: {@code before} for a delete, {@code after} otherwise. */
    public Map<String, Object> row() {
        return op == Operation.DELETE ? before : after;
    }

    public TopicName topic() {
        return TopicName.change(table(), op);
    }
}
