package dev.cdc.ods.apply;

import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Position;
import dev.cdc.ods.schema.OdsTable;
import dev.cdc.ods.schema.SqlIdentifier;
import java.util.List;
import java.util.Map;

/**
 * One change ready to write: its ODS table, its key as text, its values coerced to the table's column types
 * ({@link dev.cdc.common.event.Unavailable#VALUE} where the row's value must be kept), and what its XML columns
 * extract to.
 *
 * @param extra values of source columns the table does not hold (kept in {@code _extra}), or null
 * @param extracted per target table, the rows the change's documents yield; a target absent from the map keeps its
 *     rows (the document was not sent); never consulted for a delete
 */
record PreparedChange(BrokerMessage original, ChangeEvent event, OdsTable table, List<String> key,
                      Map<SqlIdentifier, Object> values, Map<String, Object> extra,
                      Map<String, List<Map<String, Object>>> extracted) {

    Position position() {
        return event.position();
    }

    boolean deleted() {
        return event.op() == dev.cdc.common.event.Operation.DELETE;
    }
}
