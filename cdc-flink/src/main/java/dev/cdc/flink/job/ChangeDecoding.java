package dev.cdc.flink.job;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdc.common.admission.Admission;
import dev.cdc.common.admission.Admitted;
import dev.cdc.common.alert.Alert;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.EventId;
import dev.cdc.common.event.KeyText;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.schema.ColumnTypes;
import dev.cdc.common.schema.ValueType.UnsafeCoercionException;
import dev.cdc.common.xml.MalformedPolicy;
import dev.cdc.common.xml.MalformedXmlException;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.common.xml.XmlExtractor;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one broker message into what the job passes on, with the core's rules only: the {@link Admission} (what a
 * message is: a change with its row key, a truncate, a schema change, something to skip, or a dead letter), the XML
 * extraction (its rows travel inside the change record), the alert rules and the join keys of the enriched-order
 * definition, with values in the types their columns first arrived with (as the ODS keeps them). Bad data becomes a
 * dead letter and never stops the rest: a body that is not a change, a value its column's type can't hold, or an
 * XML document that can't be read (the change itself still goes on, without that document's rows). A truncate goes
 * to the REST API as a change record with op {@code t} (and no key), never into the join.
 */
final class ChangeDecoding {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeDecoding.class);
    /** How much of a schema change's DDL is logged. */
    static final int LOGGED_DDL_CHARS = 200;

    /** Where a decoded message goes. */
    interface Output {
        void change(ChangeRecord change);

        void alert(ApiRecord alert);

        void deadLetter(DeadLetterRecord letter);

        /** A message that carries no change (a tombstone, a heartbeat, transaction metadata): counted only. */
        default void skipped(Admitted.Skip reason) {
        }

        /** A schema-change event of the connector: logged and counted, nothing else. */
        default void schemaChange(Admitted.SchemaChange change) {
        }
    }

    /** Not thread-safe (its schemaless inference keeps state): one per task, as this is. */
    private final Admission admission;
    private final ColumnTypes columnTypes = new ColumnTypes();
    private final XmlExtractor xml = new XmlExtractor();
    private final EnrichedOrderDefinition join;
    private final List<XmlExtraction> extractions;
    private final AlertRules alerts;
    private final String consumerId;

    /** The column types this task keeps (for the engine's state). */
    ColumnTypes columnTypes() {
        return columnTypes;
    }

    ChangeDecoding(EnrichedOrderDefinition join, List<XmlExtraction> extractions, AlertRules alerts, Admission admission,
                   String consumerId) {
        this.admission = admission;
        this.join = join;
        this.extractions = extractions;
        this.alerts = alerts;
        this.consumerId = consumerId;
    }

    void decode(BrokerMessage message, long receivedAtMicros, Output out) {
        decode(admit(message), receivedAtMicros, out);
    }

    /** What the message is, by the core's admission; {@link #decode(Admitted, long, Output)} then passes it on. */
    Admitted admit(BrokerMessage message) {
        return admission.admit(message);
    }

    void decode(Admitted admitted, long receivedAtMicros, Output out) {
        // Java 17: no pattern switch over the sealed kinds
        if (admitted instanceof Admitted.Change change) {
            change(change.original(), change.event(), receivedAtMicros, out);
        } else if (admitted instanceof Admitted.Truncate truncate) {
            out.change(truncate(truncate, receivedAtMicros));
        } else if (admitted instanceof Admitted.Rejected rejected) {
            out.deadLetter(DeadLetterRecord.of(rejected.original(), rejected.errorType(), rejected.reason(), consumerId));
        } else if (admitted instanceof Admitted.Skipped skipped) {
            out.skipped(skipped.reason());
        } else if (admitted instanceof Admitted.SchemaChange schemaChange) {
            LOG.info("schema change of {} (recorded, not applied): {}",
                    schemaChange.table() == null ? "an unknown table" : schemaChange.table(), ddl(schemaChange.ddl()));
            out.schemaChange(schemaChange);
        } else {
            throw new IllegalStateException("an admission this job does not know: " + admitted.getClass().getName());
        }
    }

    /** A DDL statement as logged: on one line, at most {@link #LOGGED_DDL_CHARS} characters. */
    static String ddl(String ddl) {
        if (ddl == null) {
            return "(no DDL)";
        }
        String line = ddl.strip().replaceAll("\\s+", " ");
        return line.length() <= LOGGED_DDL_CHARS ? line : line.substring(0, LOGGED_DDL_CHARS) + "...";
    }

    /** A row change with its row key: coerced, extracted, evaluated, and its join keys taken. */
    private void change(BrokerMessage message, ChangeEvent original, long receivedAtMicros, Output out) {
        ChangeEvent event;
        try {
            event = columnTypes.coerce(original);
        } catch (UnsafeCoercionException e) {
            out.deadLetter(DeadLetterRecord.of(message, ErrorType.UNSAFE_TYPE_CHANGE, e.getMessage(), consumerId));
            return;
        }
        ChangeRecord change = new ChangeRecord();
        change.table = event.table().toString();
        change.topic = message.topic();
        change.scn = event.position().scn();
        change.sequence = event.position().sequence();
        change.eventId = event.eventId().toString();
        change.deleted = event.after() == null;
        change.snapshot = event.op() == Operation.READ;
        change.sourceTsMs = event.source().tsMs();
        change.receivedAtMicros = receivedAtMicros;
        Map<String, Object> row = event.row();
        change.joinRow = joinRow(event.table(), row);
        change.rowKey = event.key().size() == 1 ? KeyText.of(event.key().values().iterator().next()) : null;
        routeKeys(event.table(), row, change);
        change.apiJson = apiJson(event, message, extract(event, message, out));
        out.change(change);
        for (Alert alert : alerts.evaluate(original)) { // as the source sent it: the rules read the schema's types
            out.alert(ApiRecord.of(ApiRecord.ALERT, alert.id(), alert.id(), alert.toJson().getBytes(StandardCharsets.UTF_8),
                    change.sourceTsMs, message.topic()));
        }
    }

    /**
     * A truncate as the REST API receives it: a change record of op {@code t} without key or row images. It carries
     * no join keys and no join row, and is marked {@link ChangeRecord#truncate} so the job keeps it out of the join
     * (whose state it does not change).
     */
    private static ChangeRecord truncate(Admitted.Truncate truncate, long receivedAtMicros) {
        Position position = truncate.position();
        ChangeRecord change = new ChangeRecord();
        change.table = truncate.table().toString();
        change.topic = truncate.original().topic();
        change.scn = position.scn();
        change.sequence = position.sequence();
        change.eventId = new EventId(truncate.table(), position).toString();
        change.truncate = true;
        change.sourceTsMs = truncate.source().tsMs();
        change.receivedAtMicros = receivedAtMicros;
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator gen = DebeziumJsonCodec.jsonFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("id", change.eventId);
            gen.writeStringField("table", change.table);
            gen.writeStringField("op", "t");
            gen.writeNullField("key");
            gen.writeNumberField("scn", change.scn);
            gen.writeNumberField("sequence", change.sequence);
            gen.writeNumberField("source_ts_ms", change.sourceTsMs);
            gen.writeStringField("topic", change.topic);
            gen.writeNullField("before");
            gen.writeNullField("after");
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        change.apiJson = out.toByteArray();
        return change;
    }

    /**
     * The row as the join keeps it: only a joined table's rows, without the columns the enriched order never
     * carries (the XML documents are most of a row and would be held in the join state for nothing).
     */
    private byte[] joinRow(TableId table, Map<String, Object> row) {
        if (!join.inputs().contains(table)) {
            return null;
        }
        Map<String, Object> kept = row;
        for (String column : join.excludedColumns()) {
            if (kept.containsKey(column)) {
                if (kept == row) {
                    kept = new LinkedHashMap<>(row);
                }
                kept.remove(column);
            }
        }
        return CanonicalJson.write(kept);
    }

    /** The keys the 3-way join routes this row by. */
    private void routeKeys(TableId table, Map<String, Object> row, ChangeRecord change) {
        if (table.equals(join.orders())) {
            change.orderKey = KeyText.of(row.get(join.orderKey()));
            change.customerKey = KeyText.of(row.get(join.customerKey()));
        } else if (table.equals(join.customers())) {
            change.customerKey = KeyText.of(row.get(join.customerKey()));
        } else if (table.equals(join.items())) {
            change.orderKey = KeyText.of(row.get(join.orderKey()));
            change.productKey = KeyText.of(row.get(join.productKey()));
        } else if (table.equals(join.products())) {
            change.productKey = KeyText.of(row.get(join.productKey()));
        }
    }

    /** The extracted rows per target of this change's XML documents; null for a column without a document. */
    private Map<String, List<Map<String, Object>>> extract(ChangeEvent event, BrokerMessage message, Output out) {
        if (event.after() == null) {
            return Map.of();
        }
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        for (XmlExtraction rule : extractions) {
            if (!rule.source().equals(event.table())) {
                continue;
            }
            Object document = event.after().get(rule.column());
            if (document == null && event.after().containsKey(rule.column())) {
                rows.put(rule.target(), List.of()); // set to NULL: the document and its rows are gone
                continue;
            }
            if (!(document instanceof String text)) {
                continue; // absent, or an unread LOB: the document did not change
            }
            Object parentKey = event.key().values().iterator().next();
            try {
                rows.put(rule.target(), xml.extract(rule, parentKey, text));
            } catch (MalformedXmlException e) {
                if (rule.onMalformed() == MalformedPolicy.FAIL) {
                    throw new IllegalStateException("XML extraction " + rule.name() + " is set to fail on malformed "
                            + "documents: " + event.eventId() + ": " + e.getMessage(), e);
                }
                if (rule.onMalformed() == MalformedPolicy.DLQ) {
                    out.deadLetter(DeadLetterRecord.of(message, ErrorType.MALFORMED_XML,
                            rule.column() + ": " + e.getMessage(), consumerId));
                }
                rows.put(rule.target(), List.of()); // the document yields no rows, the row itself goes on
            }
        }
        return rows;
    }

    private static byte[] apiJson(ChangeEvent event, BrokerMessage message,
                                  Map<String, List<Map<String, Object>>> extracted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator gen = DebeziumJsonCodec.jsonFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("id", event.eventId().toString());
            gen.writeStringField("table", event.table().toString());
            gen.writeStringField("op", event.op().code());
            gen.writeFieldName("key");
            CanonicalJson.write(event.key(), gen);
            gen.writeNumberField("scn", event.position().scn());
            gen.writeNumberField("sequence", event.position().sequence());
            gen.writeNumberField("source_ts_ms", event.source().tsMs());
            gen.writeStringField("topic", message.topic());
            gen.writeFieldName("before");
            CanonicalJson.write(event.before(), gen);
            gen.writeFieldName("after");
            CanonicalJson.write(event.after(), gen);
            if (!extracted.isEmpty()) {
                gen.writeFieldName("extracted");
                CanonicalJson.write(extracted, gen);
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
