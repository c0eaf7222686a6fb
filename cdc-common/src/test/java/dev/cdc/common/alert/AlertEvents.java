package dev.cdc.common.alert;

import dev.cdc.common.codec.DecimalType;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test support: change events of a small ORDERS-like table, {@code ORDER_ID int64, TOTAL_AMOUNT <decimal>,
 * STATUS string, STOCK_QTY int64, IS_ACTIVE int8, NOTE string (a CLOB)}, with TOTAL_AMOUNT in any of Debezium's
 * decimal modes. Events are at SCN 1234, sequence 5, committed at 1,700,000,000,000 ms, row key ORDER_ID 1001.
 */
public final class AlertEvents {

    public static final TableId ORDERS = new TableId("SALES", "ORDERS");
    public static final long COMMIT_MS = 1_700_000_000_000L;

    /** Debezium's decimal.handling.mode, as the schema of a NUMBER(15,2) column. */
    public enum DecimalMode {
        PRECISE(DecimalType.schema(15, 2, true)),
        DOUBLE(ConnectSchema.of(SchemaType.FLOAT64, true)),
        STRING(ConnectSchema.of(SchemaType.STRING, true));

        final ConnectSchema schema;

        DecimalMode(ConnectSchema schema) {
            this.schema = schema;
        }
    }

    private AlertEvents() {
    }

    public static ConnectSchema schema(DecimalMode mode) {
        return ConnectSchema.builder(SchemaType.STRUCT).name("server1.SALES.ORDERS.Value")
                .field("ORDER_ID", ConnectSchema.of(SchemaType.INT64, false))
                .field("TOTAL_AMOUNT", mode.schema)
                .field("STATUS", ConnectSchema.of(SchemaType.STRING, true))
                .field("STOCK_QTY", ConnectSchema.of(SchemaType.INT64, true))
                .field("IS_ACTIVE", ConnectSchema.of(SchemaType.INT8, true))
                .field("NOTE", ConnectSchema.of(SchemaType.STRING, true))
                .build();
    }

    /** A row image: ORDER_ID 1001 and the given columns. */
    public static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ORDER_ID", 1001L);
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    public static ChangeEvent event(Operation op, Map<String, Object> before, Map<String, Object> after) {
        return event(DecimalMode.PRECISE, op, before, after);
    }

    public static ChangeEvent event(DecimalMode mode, Operation op, Map<String, Object> before, Map<String, Object> after) {
        return event(schema(mode), ORDERS, op, before, after, 1234, 5);
    }

    public static ChangeEvent event(ConnectSchema schema, TableId table, Operation op, Map<String, Object> before,
                                    Map<String, Object> after, long scn, long sequence) {
        SourceInfo source = new SourceInfo("2.7.3.Final", "oracle", "server1", COMMIT_MS,
                op == Operation.READ ? "true" : "false", "ORCLPDB1", Long.toString(sequence), table.schema(),
                table.table(), "0a001b00c3040000", Long.toString(scn), Long.toString(scn + 1));
        return new ChangeEvent(schema, op, before, after, source, COMMIT_MS + 250,
                new TransactionInfo("0a001b00c3040000", 1, 1), Map.of("ORDER_ID", 1001L));
    }

    public static ChangeEvent insert(Map<String, Object> after) {
        return event(Operation.CREATE, null, after);
    }

    public static ChangeEvent snapshot(Map<String, Object> after) {
        return event(Operation.READ, null, after);
    }

    public static ChangeEvent update(Map<String, Object> before, Map<String, Object> after) {
        return event(Operation.UPDATE, before, after);
    }

    public static ChangeEvent delete(Map<String, Object> before) {
        return event(Operation.DELETE, before, null);
    }
}
