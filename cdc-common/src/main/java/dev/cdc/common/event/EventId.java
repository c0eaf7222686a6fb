package dev.cdc.common.event;

import java.io.Serializable;
import java.util.Objects;

/**
 * The identity of one change wherever it travels: its table and its position, written
 * {@code SCHEMA.TABLE:scn:sequence} ({@code SALES.ORDERS:2000123:2}). Every delivery of a change, a redelivery or a
 * deliberate duplicate included, has the same id, so a sink that remembers ids counts a change once. Alert ids, the
 * truth's {@code changes.jsonl} and the REST target use this form; form it with {@link ChangeEvent#eventId()}, never
 * by hand.
 *
 * <p>Unique as long as the source gives each change of a table its own position, which the ODS position guard
 * assumes as well.
 */
public record EventId(TableId table, Position position) implements Serializable {

    private static final long serialVersionUID = 1L;

    public EventId {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(position, "position");
    }

    /**
     * Reads {@code SCHEMA.TABLE:scn:sequence}.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static EventId parse(String text) {
        Objects.requireNonNull(text, "event id");
        int second = text.lastIndexOf(':');
        int first = second <= 0 ? -1 : text.lastIndexOf(':', second - 1);
        if (first <= 0) {
            throw invalid(text);
        }
        try {
            return new EventId(TableId.parse(text.substring(0, first)), new Position(
                    Long.parseLong(text.substring(first + 1, second)), Long.parseLong(text.substring(second + 1))));
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("event id \"" + text + "\" must be SCHEMA.TABLE:scn:sequence, e.g. SALES.ORDERS:2000123:2");
    }

    @Override
    public String toString() {
        return table + ":" + position.scn() + ":" + position.sequence();
    }
}
