package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Debezium's {@code ZonedTimestamp}: an ISO-8601 string with offset (Oracle TIMESTAMP WITH TIME ZONE). */
public final class ZonedTimestampType implements LogicalType {

    public static final String NAME = "io.debezium.time.ZonedTimestamp";

    public static ConnectSchema schema(boolean optional) {
        return ConnectSchema.builder(SchemaType.STRING).optional(optional).name(NAME).version(1).build();
    }

    @Override
    public String schemaName() {
        return NAME;
    }

    @Override
    public Object decode(JsonNode json, ConnectSchema schema, String path) {
        if (!json.isTextual()) {
            throw MalformedEventException.wrongValue(path, "an ISO-8601 timestamp with offset", json);
        }
        try {
            return OffsetDateTime.parse(json.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw MalformedEventException.wrongValue(path, "an ISO-8601 timestamp with offset", json.textValue());
        }
    }

    @Override
    public void encode(Object value, ConnectSchema schema, JsonGenerator out, String path) throws IOException {
        if (!(value instanceof OffsetDateTime odt)) {
            throw MalformedEventException.wrongValue(path, "an OffsetDateTime", value.getClass().getSimpleName());
        }
        out.writeString(odt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }
}
