package dev.cdc.generator.schema;

import dev.cdc.common.codec.DecimalType;
import dev.cdc.common.codec.EpochTimestampType;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;

/** A source column type, and the Kafka Connect schema the Debezium Oracle connector writes for it. */
public sealed interface OracleType {

    ConnectSchema connectSchema(boolean optional, DecimalMode mode);

    /** NUMBER(p, s): integers by precision when s = 0, else a decimal in the chosen mode. */
    record Number(int precision, int scale) implements OracleType {
        public Number {
            if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("NUMBER(" + precision + "," + scale + ") is not a valid Oracle NUMBER");
            }
        }

        @Override
        public ConnectSchema connectSchema(boolean optional, DecimalMode mode) {
            if (scale == 0) {
                // the connector's mapping of NUMBER(p,0) by precision
                SchemaType type = precision < 3 ? SchemaType.INT8 : precision < 5 ? SchemaType.INT16
                        : precision < 10 ? SchemaType.INT32 : precision < 19 ? SchemaType.INT64 : null;
                if (type != null) {
                    return ConnectSchema.of(type, optional);
                }
            }
            return switch (mode) {
                case PRECISE -> DecimalType.schema(precision, scale, optional);
                case DOUBLE -> ConnectSchema.of(SchemaType.FLOAT64, optional);
                case STRING -> ConnectSchema.of(SchemaType.STRING, optional);
            };
        }
    }

    /** VARCHAR2(n) and friends. */
    record Varchar2(int length) implements OracleType {
        @Override
        public ConnectSchema connectSchema(boolean optional, DecimalMode mode) {
            return ConnectSchema.of(SchemaType.STRING, optional);
        }
    }

    /** CLOB: a string; an unchanged one is written as Debezium's unavailable placeholder. */
    record Clob() implements OracleType {
        @Override
        public ConnectSchema connectSchema(boolean optional, DecimalMode mode) {
            return ConnectSchema.of(SchemaType.STRING, optional);
        }
    }

    /** TIMESTAMP(f): ms for f <= 3, us for f <= 6, ns beyond; DATE is TIMESTAMP(0). */
    record Timestamp(int fractionalDigits) implements OracleType {
        @Override
        public ConnectSchema connectSchema(boolean optional, DecimalMode mode) {
            EpochTimestampType type = fractionalDigits <= 3 ? EpochTimestampType.MILLIS
                    : fractionalDigits <= 6 ? EpochTimestampType.MICROS : EpochTimestampType.NANOS;
            return type.schema(optional);
        }
    }

    /** An object-typed column written as a nested struct (the nested-JSON scenario). */
    record Nested(ConnectSchema struct) implements OracleType {
        @Override
        public ConnectSchema connectSchema(boolean optional, DecimalMode mode) {
            return struct.optional() == optional ? struct
                    : ConnectSchema.builder(SchemaType.STRUCT).optional(optional).name(struct.name()).fieldsFrom(struct).build();
        }
    }
}
