package dev.cdc.common.truth;

import dev.cdc.common.event.EventId;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import java.util.Objects;

/**
 * A change the pipeline must deliver: one line of the truth's {@code changes.jsonl},
 * {@code {"id":"SALES.ORDERS:2000123:2","table":"SALES.ORDERS","op":"c"}}.
 */
public record ExpectedChange(EventId id, Operation op) {

    public ExpectedChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(op, "op");
    }

    public TableId table() {
        return id.table();
    }
}
