package dev.cdc.ods.apply;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.truth.TruthJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Values as PostgreSQL's text input reads them. The writer sends each column as one text array and casts it on the
 * server ({@code unnest(?::text[])::numeric}): one round trip per table and batch, whatever the column types.
 */
final class SqlText {

    private SqlText() {
    }

    static String of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return json(value);
        }
        if (value instanceof Temporal || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalArgumentException("no SQL text for " + value.getClass().getName());
    }

    /** A value in its canonical JSON form (decimals exact, timestamps ISO-8601), for jsonb columns. */
    static String json(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = DebeziumJsonCodec.jsonFactory().createGenerator(out)) {
            TruthJson.write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
