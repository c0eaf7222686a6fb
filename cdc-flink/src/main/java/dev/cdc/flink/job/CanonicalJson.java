package dev.cdc.flink.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.truth.TruthJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows as the job passes them on: the truth's canonical JSON form ({@link TruthJson}), so what the REST API receives
 * compares with the truth by value, and so rows survive Flink's serialization exactly. An unread LOB keeps
 * Debezium's placeholder text.
 */
final class CanonicalJson {

    private static final JsonFactory FACTORY = DebeziumJsonCodec.jsonFactory();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private CanonicalJson() {
    }

    /** The value as UTF-8 JSON. */
    static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            write(value, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void write(Object value, JsonGenerator gen) throws IOException {
        TruthJson.write(value instanceof Map<?, ?> row ? withPlaceholders(row) : value, gen);
    }

    /** Integers read back as Long and decimals as BigDecimal (the codec's mapper), as the truth reader does. */
    static Map<String, Object> read(byte[] json) {
        if (json == null) {
            return null;
        }
        try {
            return DebeziumJsonCodec.mapper().readValue(json, MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("a row the job wrote itself does not read back", e);
        }
    }

    private static Map<?, ?> withPlaceholders(Map<?, ?> row) {
        if (!row.containsValue(Unavailable.VALUE)) {
            return row;
        }
        Map<Object, Object> copy = new LinkedHashMap<>(row);
        copy.replaceAll((k, v) -> v == Unavailable.VALUE ? Unavailable.PLACEHOLDER : v);
        return copy;
    }
}
