package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Debezium's timestamps without time zone, an int64 count of a unit since the epoch: {@code io.debezium.time.Timestamp}
 * (ms, Oracle DATE and TIMESTAMP(0-3)), {@code MicroTimestamp} (us, TIMESTAMP(4-6)) and {@code NanoTimestamp}
 * (ns, TIMESTAMP(7-9)). Decoded to a {@link LocalDateTime}: the wall-clock value the source row holds.
 */
public final class EpochTimestampType implements LogicalType {

    public static final EpochTimestampType MILLIS = new EpochTimestampType("io.debezium.time.Timestamp", ChronoUnit.MILLIS);
    public static final EpochTimestampType MICROS = new EpochTimestampType("io.debezium.time.MicroTimestamp", ChronoUnit.MICROS);
    public static final EpochTimestampType NANOS = new EpochTimestampType("io.debezium.time.NanoTimestamp", ChronoUnit.NANOS);

    private final String name;
    private final ChronoUnit unit;

    private EpochTimestampType(String name, ChronoUnit unit) {
        this.name = name;
        this.unit = unit;
    }

    public ConnectSchema schema(boolean optional) {
        return ConnectSchema.builder(SchemaType.INT64).optional(optional).name(name).version(1).build();
    }

    @Override
    public String schemaName() {
        return name;
    }

    public ChronoUnit unit() {
        return unit;
    }

    @Override
    public Object decode(JsonNode json, ConnectSchema schema, String path) {
        if (!json.isIntegralNumber() || !json.canConvertToLong()) {
            throw MalformedEventException.wrongValue(path, "an int64 count of " + unit + " since the epoch", json);
        }
        long count = json.longValue();
        Instant instant = switch (unit) {
            case MILLIS -> Instant.ofEpochMilli(count);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(count, 1_000_000L), Math.floorMod(count, 1_000_000L) * 1_000L);
            default -> Instant.ofEpochSecond(Math.floorDiv(count, 1_000_000_000L), Math.floorMod(count, 1_000_000_000L));
        };
        // ofEpochSecond, not ofInstant: it does not build ZoneRules per call
        return LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
    }

    @Override
    public void encode(Object value, ConnectSchema schema, JsonGenerator out, String path) throws IOException {
        if (!(value instanceof LocalDateTime ldt)) {
            throw MalformedEventException.wrongValue(path, "a LocalDateTime", value.getClass().getSimpleName());
        }
        out.writeNumber(toEpoch(ldt));
    }

    /** The count of this type's unit since the epoch; sub-unit digits are truncated, as Debezium does. */
    public long toEpoch(LocalDateTime ldt) {
        long seconds = ldt.toEpochSecond(ZoneOffset.UTC);
        int nanos = ldt.getNano();
        return switch (unit) {
            case MILLIS -> Math.addExact(Math.multiplyExact(seconds, 1_000L), nanos / 1_000_000L);
            case MICROS -> Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000L);
            default -> Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nanos);
        };
    }
}
