package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.schema.ConnectSchema;
import java.io.IOException;
import java.time.LocalDate;

/**
 * A date as an int32 count of days since the epoch: Debezium's {@code io.debezium.time.Date} and Kafka Connect's
 * {@code org.apache.kafka.connect.data.Date} share this form.
 */
public final class EpochDateType implements LogicalType {

    public static final EpochDateType DEBEZIUM = new EpochDateType("io.debezium.time.Date");
    public static final EpochDateType CONNECT = new EpochDateType("org.apache.kafka.connect.data.Date");

    private final String name;

    private EpochDateType(String name) {
        this.name = name;
    }

    @Override
    public String schemaName() {
        return name;
    }

    @Override
    public Object decode(JsonNode json, ConnectSchema schema, String path) {
        if (!json.isIntegralNumber() || !json.canConvertToInt()) { // beyond int32, LocalDate.ofEpochDay threw DateTimeException instead of MalformedEventException
            throw MalformedEventException.wrongValue(path, "an int32 count of days since the epoch", json);
        }
        return LocalDate.ofEpochDay(json.longValue());
    }

    @Override
    public void encode(Object value, ConnectSchema schema, JsonGenerator out, String path) throws IOException {
        if (!(value instanceof LocalDate date)) {
            throw MalformedEventException.wrongValue(path, "a LocalDate", value.getClass().getSimpleName());
        }
        out.writeNumber(Math.toIntExact(date.toEpochDay()));
    }
}
