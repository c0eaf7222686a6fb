package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.common.schema.ConnectSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads and writes the Debezium value envelope exactly as Kafka Connect's JsonConverter writes it with schemas
 * enabled: {@code {"schema": {...}, "payload": {"before", "after", "source", "transaction", "op", "ts_ms"}}}.
 * Row values are decoded by the {@code schema} section (see {@link ValueCodec}). Thread-safe.
 */
public final class DebeziumJsonCodec {

    /** Largest body accepted; bigger ones are bad data, not a reason to exhaust the heap. */
    public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_BODY_BYTES).maxNestingDepth(200).build())
            // emoji and other non-BMP characters as 4-byte UTF-8, not as escaped surrogate pairs
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    private static final ObjectMapper MAPPER = JsonMapper.builder(JSON)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    /**
     * The rendered envelope schema per row schema: events of one table share it, so it is rendered (and encoded to
     * UTF-8, which {@link SerializedString} caches) once, not per event.
     */
    private final Map<ConnectSchema, SerializedString> renderedEnvelopes = new ConcurrentHashMap<>();

    public static JsonFactory jsonFactory() {
        return JSON;
    }

    // ---------------------------------------------------------------- decode

    /**
     * Parsed envelope schemas by their exact bytes: every message repeats its table's schema, usually most of its
     * body, so the schema section is only scanned and hashed, and parsed when its bytes are new (measured: building
     * its JSON tree for every message was a fifth of a consumer's time). A changed schema is new bytes.
     */
    private final Map<ByteBuffer, ConnectSchema> schemas = new ConcurrentHashMap<>();
    private static final int SCHEMA_CACHE_SIZE = 1_024;

    /**
     * A body's parts before they are interpreted: the envelope as Kafka Connect's JsonConverter writes it with schemas
     * ({@code {"schema", "payload"}}) or without ({@code {"before", "after", "source", "op", ...}} itself), possibly
     * inside a key+value envelope ({@code {"key": ..., "value": ...}}, each in either form).
     *
     * @param schema the value's schema, or null when the body carries none
     * @param payload the value, or a null node for a tombstone
     * @param keySchema the key's schema, or null
     * @param key the key struct's payload, or null when the body carries none
     */
    public record Envelope(ConnectSchema schema, JsonNode payload, ConnectSchema keySchema, JsonNode key) {

        public boolean tombstone() {
            return payload == null || payload.isNull() || payload.isMissingNode();
        }
    }

    /**
     * Reads one message body into its parts; a UTF-8 byte-order mark before it is skipped.
     *
     * @throws MalformedEventException when the body is not a JSON object
     */
    public Envelope read(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw MalformedEventException.wrongValue("body", "at most " + MAX_BODY_BYTES + " bytes", body.length + " bytes");
        }
        int offset = hasByteOrderMark(body) ? 3 : 0;
        ConnectSchema schema = null;
        boolean schemaField = false;
        JsonNode payload = null;
        Map<String, JsonNode> others = new LinkedHashMap<>();
        try (JsonParser p = MAPPER.createParser(body, offset, body.length - offset)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw MalformedEventException.wrongValue("body", "a JSON object (a Debezium envelope)",
                        first == null ? null : MAPPER.readTree(p));
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("schema") && value == JsonToken.START_OBJECT) {
                    schemaField = true;
                    int start = (int) p.currentTokenLocation().getByteOffset() + offset;
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset() + offset;
                    schema = schema(ByteBuffer.wrap(body, start, end - start)); // equal and hashed by content
                } else if (field.equals("schema")) {
                    schemaField = true;
                    if (value != JsonToken.VALUE_NULL) {
                        schema = SchemaJson.parse(MAPPER.readTree(p), "schema"); // not an object: says what is wrong
                    }
                } else if (field.equals("payload")) {
                    payload = MAPPER.readTree(p);
                } else {
                    others.put(field, MAPPER.readTree(p));
                }
            }
        } catch (MalformedEventException e) {
            throw e;
        } catch (IOException e) {
            throw MalformedEventException.notJson(e);
        }
        if (schemaField || payload != null) {
            return new Envelope(schema, payload == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                    : payload, null, null);
        }
        if (others.containsKey("value") && !others.containsKey("op") && !others.containsKey("after")) {
            Envelope value = part(others.get("value"));
            Envelope key = part(others.get("key"));
            return new Envelope(value.schema(), value.payload(), key.schema(),
                    key.tombstone() ? null : key.payload());
        }
        return new Envelope(null, MAPPER.valueToTree(others), null, null);
    }

    /** One side of a key+value envelope: {@code {"schema", "payload"}} or the value itself. */
    private static Envelope part(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Envelope(null, com.fasterxml.jackson.databind.node.NullNode.getInstance(), null, null);
        }
        if (node.isObject() && node.has("payload") && (node.has("schema") || node.size() == 1)) {
            JsonNode schema = node.get("schema");
            return new Envelope(schema == null || schema.isNull() ? null : SchemaJson.parse(schema, "schema"),
                    node.get("payload"), null, null);
        }
        return new Envelope(null, node, null, null);
    }

    /** Whether a body starts with UTF-8's byte-order mark (which some publishers write, and JSON parsers refuse). */
    public static boolean hasByteOrderMark(byte[] body) {
        return body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF;
    }

    /**
     * Decodes one message body strictly: an envelope with its schema, a row change whose {@code source} names its
     * schema and table. What arrives from a broker goes through {@link dev.cdc.common.admission.Admission}, which
     * accepts every form Debezium writes; this is the codec's own round trip.
     *
     * @param keyJson the row-key property ({@code {"ORDER_ID":1001}}), or null
     * @throws MalformedEventException when the body is not a valid envelope
     */
    public ChangeEvent decode(byte[] body, String keyJson) {
        Envelope envelope = read(body);
        if (envelope.schema() == null) {
            throw MalformedEventException.missing("schema (the converter must run with schemas.enable=true)");
        }
        JsonNode payload = envelope.payload();
        if (payload == null || !payload.isObject()) {
            throw MalformedEventException.missing("payload");
        }
        String opCode = payload.path("op").asText(null);
        if (opCode == null) {
            throw MalformedEventException.missing("payload.op");
        }
        return change(valueSchema(envelope.schema()), payload, operation(opCode), source(payload.get("source"), null),
                keyJson == null ? null : parseKey(keyJson));
    }

    /** The row schema inside an envelope schema: its {@code after} field's (or {@code before}'s). */
    public static ConnectSchema valueSchema(ConnectSchema envelope) {
        return envelope.field("after").or(() -> envelope.field("before"))
                .orElseThrow(() -> MalformedEventException.missing("schema.fields[after]")).schema();
    }

    /** Debezium's op code as an operation (c, u, d, r). */
    public static Operation operation(String opCode) {
        try {
            return Operation.fromCode(opCode);
        } catch (IllegalArgumentException e) {
            throw MalformedEventException.invalid("payload.op", e);
        }
    }

    /** A row change from its payload, its images decoded by {@code valueSchema}. */
    public static ChangeEvent change(ConnectSchema valueSchema, JsonNode payload, Operation op, SourceInfo source,
                                     Map<String, Object> key) {
        Map<String, Object> before = image(payload.get("before"), valueSchema, "payload.before");
        Map<String, Object> after = image(payload.get("after"), valueSchema, "payload.after");
        if (op == Operation.DELETE ? before == null : after == null) {
            throw MalformedEventException.missing(op == Operation.DELETE ? "payload.before" : "payload.after");
        }
        JsonNode tsMs = payload.get("ts_ms");
        return new ChangeEvent(valueSchema, op, before, after, source,
                tsMs == null || tsMs.isNull() ? null : int64(tsMs, "payload.ts_ms"), transaction(payload.get("transaction")), key);
    }

    private ConnectSchema schema(ByteBuffer bytes) throws IOException {
        ConnectSchema known = schemas.get(bytes);
        if (known != null) {
            return known;
        }
        byte[] copy = new byte[bytes.remaining()]; // kept past the message: its own bytes, not the body's
        bytes.duplicate().get(copy);
        ConnectSchema parsed = SchemaJson.parse(MAPPER.readTree(copy), "schema");
        if (schemas.size() >= SCHEMA_CACHE_SIZE) {
            schemas.clear(); // a bound, not an expected case: a table's schema changes rarely
        }
        schemas.put(ByteBuffer.wrap(copy), parsed);
        return parsed;
    }

    public static Map<String, Object> image(JsonNode json, ConnectSchema schema, String path) {
        return json == null || json.isNull() ? null : ValueCodec.struct(json, schema, path);
    }

    /**
     * The {@code source} block of any Oracle connector version (1.x to 3.x): SCNs as strings or numbers, fields a
     * version lacks left null, fields this pipeline does not use (rs_id, ssn, redo_thread, row_id, user_name,
     * lcr_position) ignored. A {@code sequence} that is not one number (other connectors write a JSON array there)
     * orders nothing and is left out.
     *
     * @param table where the topic puts the change, for a block without schema and table; null for none
     */
    public static SourceInfo source(JsonNode s, dev.cdc.common.event.TableId table) {
        if (s == null || !s.isObject()) {
            throw MalformedEventException.missing("payload.source");
        }
        JsonNode ts = s.get("ts_ms");
        if (ts == null || ts.isNull()) {
            throw MalformedEventException.missing("payload.source.ts_ms");
        }
        long tsMs = int64(ts, "payload.source.ts_ms");
        String sequence = text(s, "sequence");
        if (sequence != null && !sequence.chars().allMatch(Character::isDigit)) {
            sequence = null;
        }
        String schema = text(s, "schema");
        String tableName = text(s, "table");
        if (schema == null || tableName == null) {
            if (table == null) {
                throw MalformedEventException.missing("payload.source." + (schema == null ? "schema" : "table"));
            }
            schema = table.schema();
            tableName = table.table();
        }
        return new SourceInfo(text(s, "version"), text(s, "connector"), text(s, "name"), tsMs,
                text(s, "snapshot"), text(s, "db"), sequence, schema, tableName, text(s, "txId"), text(s, "scn"),
                text(s, "commit_scn"));
    }

    private static TransactionInfo transaction(JsonNode t) {
        if (t == null || t.isNull() || !t.has("id")) {
            return null;
        }
        return new TransactionInfo(t.get("id").asText(), int64(t.get("total_order"), "payload.transaction.total_order"),
                int64(t.get("data_collection_order"), "payload.transaction.data_collection_order"));
    }

    /** An int64, written as a number or (as some of Debezium's documented examples show) as a decimal string. */
    private static long int64(JsonNode value, String path) {
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value != null && value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw MalformedEventException.wrongValue(path, "an int64", value);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** Parses a row-key property: integers become {@code Long}, other numbers {@code BigDecimal}. */
    public static Map<String, Object> parseKey(String keyJson) {
        try {
            Map<String, Object> key = MAPPER.readValue(keyJson, new TypeReference<LinkedHashMap<String, Object>>() { });
            if (key == null || key.isEmpty()) {
                throw MalformedEventException.wrongValue("key property", "a JSON object of primary-key columns", keyJson);
            }
            return key;
        } catch (IOException e) {
            throw MalformedEventException.wrongValue("key property", "a JSON object of primary-key columns", keyJson);
        }
    }

    // ---------------------------------------------------------------- encode

    public byte[] encode(ChangeEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try (JsonGenerator gen = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            write(event, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the envelope as one JSON object into {@code gen}. */
    public void write(ChangeEvent event, JsonGenerator gen) throws IOException {
        ConnectSchema valueSchema = event.valueSchema();
        gen.writeStartObject();
        gen.writeFieldName("schema");
        gen.writeRawValue(renderedEnvelopes.computeIfAbsent(valueSchema,
                s -> new SerializedString(SchemaJson.render(EnvelopeSchemas.envelope(s)))));
        gen.writeObjectFieldStart("payload");
        gen.writeFieldName("before");
        writeImage(event.before(), valueSchema, gen);
        gen.writeFieldName("after");
        writeImage(event.after(), valueSchema, gen);
        writeSource(event.source(), gen);
        TransactionInfo tx = event.transaction();
        if (tx == null) {
            gen.writeNullField("transaction");
        } else {
            gen.writeObjectFieldStart("transaction");
            gen.writeStringField("id", tx.id());
            gen.writeNumberField("total_order", tx.totalOrder());
            gen.writeNumberField("data_collection_order", tx.dataCollectionOrder());
            gen.writeEndObject();
        }
        gen.writeStringField("op", event.op().code());
        if (event.tsMs() == null) {
            gen.writeNullField("ts_ms");
        } else {
            gen.writeNumberField("ts_ms", event.tsMs());
        }
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private static void writeImage(Map<String, Object> image, ConnectSchema schema, JsonGenerator gen) throws IOException {
        if (image == null) {
            gen.writeNull();
        } else {
            ValueCodec.writeStruct(image, schema, gen, "payload");
        }
    }

    private static void writeSource(SourceInfo s, JsonGenerator gen) throws IOException {
        gen.writeObjectFieldStart("source");
        gen.writeStringField("version", s.version());
        gen.writeStringField("connector", s.connector());
        gen.writeStringField("name", s.name());
        gen.writeNumberField("ts_ms", s.tsMs());
        gen.writeStringField("snapshot", s.snapshot());
        gen.writeStringField("db", s.db());
        gen.writeStringField("sequence", s.sequence());
        gen.writeStringField("schema", s.schema());
        gen.writeStringField("table", s.table());
        gen.writeStringField("txId", s.txId());
        gen.writeStringField("scn", s.scn());
        gen.writeStringField("commit_scn", s.commitScn());
        gen.writeEndObject();
    }

    /** The row-key property for a key map: a compact JSON object, numbers as numbers. */
    public static String keyJson(Map<String, ?> key) {
        StringBuilder sb = new StringBuilder(32).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : key.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(e.getKey())).append("\":");
            Object v = e.getValue();
            if (v instanceof Number n) {
                sb.append(n instanceof BigDecimal d ? d.toPlainString() : n.toString());
            } else if (v == null) {
                sb.append("null");
            } else {
                sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(v.toString())).append('"');
            }
        }
        return sb.append('}').toString();
    }

    /** Exposed for readers of JSON lines files that share the codec's limits. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
