package dev.cdc.generator.source;

import dev.cdc.common.event.Position;

/** One row of a simulated table: its values, the position of its last change, and how many child rows reference it. */
final class StoredRow {
    Object[] values;
    Position position;
    boolean deleted;
    int references;

    StoredRow(Object[] values, Position position) {
        this.values = values;
        this.position = position;
    }
}
