package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.schema.ConnectSchema;
import java.io.IOException;
import java.time.Instant;

/** Kafka Connect's own {@code Timestamp}: int64 milliseconds since the epoch, an instant. */
public final class ConnectTimestampType implements LogicalType {

    public static final String NAME = "org.apache.kafka.connect.data.Timestamp";

    @Override
    public String schemaName() {
        return NAME;
    }

    @Override
    public Object decode(JsonNode json, ConnectSchema schema, String path) {
        if (!json.isIntegralNumber()) {
            throw MalformedEventException.wrongValue(path, "an int64 count of ms since the epoch", json);
        }
        return Instant.ofEpochMilli(json.longValue());
    }

    @Override
    public void encode(Object value, ConnectSchema schema, JsonGenerator out, String path) throws IOException {
        if (!(value instanceof Instant instant)) {
            throw MalformedEventException.wrongValue(path, "an Instant", value.getClass().getSimpleName());
        }
        out.writeNumber(instant.toEpochMilli());
    }
}
