package dev.cdc.common.codec;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of semantic types by schema name. A name not here decodes as its physical type. */
final class LogicalTypes {

    private static final Map<String, LogicalType> BY_NAME = List.of(
                    new DecimalType(),
                    new VariableScaleDecimalType(),
                    EpochTimestampType.MILLIS,
                    EpochTimestampType.MICROS,
                    EpochTimestampType.NANOS,
                    new ZonedTimestampType(),
                    EpochDateType.DEBEZIUM,
                    EpochDateType.CONNECT,
                    new ConnectTimestampType())
            .stream().collect(Collectors.toUnmodifiableMap(LogicalType::schemaName, Function.identity()));

    private LogicalTypes() {
    }

    static LogicalType find(String schemaName) {
        return schemaName == null ? null : BY_NAME.get(schemaName);
    }
}
