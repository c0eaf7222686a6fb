package dev.cdc.common.truth;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cdc.common.event.Unavailable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.Temporal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form of a decoded value in the truth files: integers and decimals as JSON numbers (decimals
 * exact, in plain notation), timestamps as ISO-8601 text ({@code 2026-11-24T10:15:30.123456}), structs as objects,
 * bytes as base64. The verifier compares the ODS with these forms.
 */
public final class TruthJson {

    private TruthJson() {
    }

    public static void write(Object value, JsonGenerator out) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String s) {
            out.writeString(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal d) {
            out.writeNumber(d.toPlainString());
        } else if (value instanceof BigInteger i) {
            out.writeNumber(i);
        } else if (value instanceof Double || value instanceof Float) {
            out.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (value instanceof Temporal t) {
            out.writeString(text(t));
        } else if (value instanceof byte[] bytes) {
            out.writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Map<?, ?> map) {
            out.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.writeFieldName(String.valueOf(e.getKey()));
                write(e.getValue(), out);
            }
            out.writeEndObject();
        } else if (value instanceof List<?> list) {
            out.writeStartArray();
            for (Object element : list) {
                write(element, out);
            }
            out.writeEndArray();
        } else if (value == Unavailable.VALUE) {
            throw new IllegalArgumentException("an unavailable LOB placeholder is never a value of the truth");
        } else {
            throw new IllegalArgumentException("no truth form for " + value.getClass().getName());
        }
    }

    /** ISO-8601 text of a date or time value. */
    public static String text(Temporal t) {
        if (t instanceof LocalDateTime ldt) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(ldt);
        }
        if (t instanceof OffsetDateTime odt) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(odt);
        }
        if (t instanceof LocalDate d) {
            return DateTimeFormatter.ISO_LOCAL_DATE.format(d);
        }
        return t.toString();
    }
}
