package dev.cdc.common.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.admission.Admitted.Skip;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.codec.DebeziumJsonCodec.Envelope;
import dev.cdc.common.codec.ValueCodec;
import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule that decides what a broker message is, for every engine: a row change (with its row key), a truncate,
 * a schema change, something to skip and count (a tombstone, a heartbeat, transaction metadata), or a dead letter
 * and why. It takes what Debezium's Oracle connector writes in any version and any publisher sends: envelopes with
 * or without schemas, key+value envelopes, a UTF-8 byte-order mark, {@code source} blocks without schema and table
 * (the topic has them then, as {@link TopicLayout} says).
 *
 * <p>The row key, in order: the {@code cdc_key} property; the Debezium key struct of a key+value envelope; the
 * columns configured in {@code tables.<SCHEMA.TABLE>.key}; the columns {@link KeyColumns} knows (the primary key of
 * an ODS table that exists). Not thread-safe (the schemaless inference keeps state): one per consumer task.
 */
public final class Admission {

    /** Key columns known outside the message: the ODS's primary key of a table that exists. */
    @FunctionalInterface
    public interface KeyColumns {
        /** The key columns (source names) of {@code table}, or an empty list when none are known. */
        List<String> of(TableId table, ConnectSchema rowSchema);

        KeyColumns NONE = (table, schema) -> List.of();
    }

    private final DebeziumJsonCodec codec = new DebeziumJsonCodec();
    private final SchemaInference inference = new SchemaInference();
    private final AdmissionSettings settings;
    private final KeyColumns knownKeys;

    public Admission(AdmissionSettings settings, KeyColumns knownKeys) {
        this.settings = settings;
        this.knownKeys = knownKeys;
    }

    public Admission(AdmissionSettings settings) {
        this(settings, KeyColumns.NONE);
    }

    public AdmissionSettings settings() {
        return settings;
    }

    public Admitted admit(BrokerMessage message) {
        Optional<TopicLayout.Route> route = settings.layout().route(message.topic());
        String unreadable = message.property(MessageProperties.UNREADABLE_BODY);
        if (unreadable != null) {
            return new Admitted.Rejected(message, ErrorType.MALFORMED_JSON,
                    "the body is " + unreadable + ", not a Debezium envelope (UTF-8 JSON as bytes or text)");
        }
        if (blank(message.body())) {
            return new Admitted.Skipped(message, Skip.TOMBSTONE);
        }
        Envelope envelope;
        try {
            envelope = codec.read(message.body());
        } catch (MalformedEventException e) {
            return new Admitted.Rejected(message, ErrorType.MALFORMED_JSON, e.getMessage());
        }
        if (envelope.tombstone()) {
            return new Admitted.Skipped(message, Skip.TOMBSTONE);
        }
        JsonNode payload = envelope.payload();
        if (!payload.isObject()) {
            return new Admitted.Rejected(message, ErrorType.MALFORMED_JSON,
                    "payload: expected an object but found " + payload.getNodeType());
        }
        String schemaName = envelope.schema() == null ? "" : String.valueOf(envelope.schema().name());
        if (schemaName.endsWith(".Heartbeat") || (payload.size() == 1 && payload.has("ts_ms"))) {
            return new Admitted.Skipped(message, Skip.HEARTBEAT);
        }
        if (schemaName.endsWith(".TransactionMetadataValue") || (!payload.has("op") && payload.has("status")
                && payload.has("id"))) {
            return new Admitted.Skipped(message, Skip.TRANSACTION_METADATA);
        }
        if (!payload.has("op") && (payload.has("ddl") || payload.has("tableChanges"))) {
            return schemaChange(message, payload, route);
        }
        BrokerMessage original = message;
        try {
            String opCode = payload.path("op").isTextual() ? payload.get("op").textValue()
                    : route.map(r -> TopicLayout.opCode(r.operation())).orElse(null);
            if (opCode == null) {
                throw MalformedEventException.missing("payload.op (and the topic " + message.topic()
                        + " names no operation in the layout " + settings.layout() + ")");
            }
            SourceInfo source = source(payload.get("source"), route.map(TopicLayout.Route::table)
                    .or(() -> tableOfSchema(envelope.schema())), message.topic());
            TableId table = source.tableId();
            original = withTopic(message, table, opCode);
            source.position(); // a change without a readable SCN can't be ordered
            if (opCode.equals("t")) {
                return new Admitted.Truncate(original, table, source);
            }
            Operation op = DebeziumJsonCodec.operation(opCode);
            ConnectSchema rowSchema;
            if (envelope.schema() != null) {
                rowSchema = DebeziumJsonCodec.valueSchema(envelope.schema());
                inference.learn(table, rowSchema);
            } else {
                rowSchema = inference.rowSchema(table, payload.get("before"), payload.get("after"));
            }
            ChangeEvent event = DebeziumJsonCodec.change(rowSchema, payload, op, source, null);
            Object key = key(original, envelope, event);
            if (key instanceof String reason) {
                return new Admitted.Rejected(original, ErrorType.MISSING_KEY, reason);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> columns = (Map<String, Object>) key;
            return new Admitted.Change(original, new ChangeEvent(event.valueSchema(), event.op(), event.before(),
                    event.after(), event.source(), event.tsMs(), event.transaction(), columns));
        } catch (MalformedEventException e) {
            return new Admitted.Rejected(original, ErrorType.MALFORMED_JSON, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Admitted.Rejected(original, ErrorType.INVALID_IDENTIFIER, e.getMessage());
        }
    }

    /**
     * The table from {@code source}, else from the topic or the envelope's schema name; none of them is a dead letter
     * naming them.
     */
    private SourceInfo source(JsonNode source, Optional<TableId> table, String topic) {
        try {
            return DebeziumJsonCodec.source(source, table.orElse(null));
        } catch (MalformedEventException e) {
            if (table.isEmpty() && source != null && source.isObject() && source.has("ts_ms")) {
                throw MalformedEventException.missing("payload.source.schema and .table, and the topic " + topic
                        + " does not fit the layout " + settings.layout() + " (events.topic-layout)");
            }
            throw e;
        }
    }

    /**
     * The table an envelope's schema is named after: {@code <topic prefix>.<SCHEMA>.<TABLE>.Envelope} (or
     * {@code .Value}), as the connector names it.
     */
    private static Optional<TableId> tableOfSchema(ConnectSchema schema) {
        if (schema == null || schema.name() == null) {
            return Optional.empty();
        }
        String[] parts = schema.name().split("\\.");
        int n = parts.length;
        if (n < 3 || !(parts[n - 1].equals("Envelope") || parts[n - 1].equals("Value"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TableId(parts[n - 3], parts[n - 2]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The row key as columns and values, or why there is none. */
    private Object key(BrokerMessage message, Envelope envelope, ChangeEvent event) {
        String property = message.property(MessageProperties.KEY);
        if (property != null) {
            return DebeziumJsonCodec.parseKey(property);
        }
        JsonNode key = envelope.key();
        if (key != null && key.isObject() && !key.isEmpty()) {
            return envelope.keySchema() != null ? ValueCodec.struct(key, envelope.keySchema(), "key")
                    : DebeziumJsonCodec.parseKey(key.toString());
        }
        TableId table = event.table();
        String origin = "tables." + table + ".key";
        List<String> columns = settings.keys().get(table);
        if (columns == null || columns.isEmpty()) {
            columns = knownKeys.of(table, event.valueSchema());
            origin = "the primary key of its ODS table";
        }
        if (columns == null || columns.isEmpty()) {
            return "the message carries no row key: no " + MessageProperties.KEY + " property, no Debezium key, and"
                    + " no key columns configured for " + table + " (set tables." + table + ".key: [COLUMN, ...])";
        }
        Map<String, Object> row = event.row();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String column : columns) {
            Object value = row.get(column);
            if (value == null) {
                return "key column " + column + " (from " + origin + ") is " + (row.containsKey(column) ? "null"
                        : "not") + " in the row of " + table;
            }
            values.put(column, value);
        }
        return values;
    }

    private Admitted schemaChange(BrokerMessage message, JsonNode payload, Optional<TopicLayout.Route> route) {
        JsonNode source = payload.path("source");
        TableId table = route.map(TopicLayout.Route::table).orElse(null);
        try {
            if (source.hasNonNull("schema") && source.hasNonNull("table")) {
                table = new TableId(source.get("schema").asText(), source.get("table").asText());
            } else if (payload.path("tableChanges").path(0).hasNonNull("id")) {
                // "DB.SCHEMA.TABLE" or "SCHEMA.TABLE", quoted or not
                String[] parts = payload.get("tableChanges").get(0).get("id").asText().replace("\"", "").split("\\.");
                if (parts.length >= 2) {
                    table = new TableId(parts[parts.length - 2], parts[parts.length - 1]);
                }
            }
        } catch (IllegalArgumentException e) {
            table = null; // a name that can't be ours: the DDL is still recorded
        }
        long ts = source.path("ts_ms").canConvertToLong() ? source.path("ts_ms").asLong() : payload.path("ts_ms").asLong();
        return new Admitted.SchemaChange(message, table, payload.path("ddl").asText(null), ts);
    }

    /**
     * The message with the topic it was published to: kept when the broker passed it on, rebuilt from the change
     * when the consumer saw only its queue (no {@code to} field: the publisher did not set it).
     */
    private BrokerMessage withTopic(BrokerMessage message, TableId table, String opCode) {
        String topic = message.topic();
        boolean known = topic != null && !topic.isBlank() && !topic.contains("::") && !topic.contains("*")
                && !topic.endsWith(">");
        if (known) {
            return message;
        }
        return new BrokerMessage(settings.layout().topic(table, TopicLayout.opLevel(opCode)), message.properties(),
                message.body());
    }

    /** An empty body, whitespace only (after a byte-order mark), or JSON {@code null}: a tombstone. */
    private static boolean blank(byte[] body) {
        int i = DebeziumJsonCodec.hasByteOrderMark(body) ? 3 : 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i == body.length) {
            return true;
        }
        int end = body.length;
        while (end > i && Character.isWhitespace(body[end - 1])) {
            end--;
        }
        return end - i == 4 && body[i] == 'n' && body[i + 1] == 'u' && body[i + 2] == 'l' && body[i + 3] == 'l';
    }
}
