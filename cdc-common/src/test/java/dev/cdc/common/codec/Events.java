package dev.cdc.common.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Test helpers: a source block, one-column row schemas, and editing an encoded body as a JSON tree. */
final class Events {

    static final String VALUE_NAME = "server1.SALES.ORDERS.Value";

    private Events() {
    }

    static SourceInfo source() {
        return new SourceInfo("2.7.3.Final", "oracle", "server1", 1_767_322_800_000L, "false", "ORCLPDB1",
                null, "SALES", "ORDERS", "0a001b00c3040000", "2122185", "2122190");
    }

    /** A row schema {@code ID int32, V <column>} named like Debezium's value schema. */
    static ConnectSchema row(ConnectSchema column) {
        return ConnectSchema.builder(SchemaType.STRUCT).name(VALUE_NAME)
                .field("ID", ConnectSchema.of(SchemaType.INT32, false))
                .field("V", column)
                .build();
    }

    static ChangeEvent insert(ConnectSchema rowSchema, Map<String, Object> after) {
        return new ChangeEvent(rowSchema, Operation.CREATE, null, after, source(), 1_767_322_801_234L,
                new TransactionInfo("0a001b00c3040000", 3, 1), null);
    }

    /** A create event of {@link #row} holding {@code value} in column V. */
    static ChangeEvent insertValue(ConnectSchema column, Object value) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("ID", 1);
        after.put("V", value);
        return insert(row(column), after);
    }

    static JsonNode tree(byte[] body) {
        try {
            return DebeziumJsonCodec.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Re-serializes {@code body} after {@code edit} changed its payload: how a broken producer's message looks. */
    static byte[] editPayload(byte[] body, Consumer<ObjectNode> edit) {
        ObjectNode root = (ObjectNode) tree(body);
        edit.accept((ObjectNode) root.get("payload"));
        try {
            return DebeziumJsonCodec.mapper().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
