package dev.cdc.common.codec;

import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;

/** The fixed parts of a Debezium Oracle envelope schema: the {@code source} and {@code transaction} blocks. */
public final class EnvelopeSchemas {

    private static final ConnectSchema REQUIRED_STRING = ConnectSchema.of(SchemaType.STRING, false);
    private static final ConnectSchema OPTIONAL_STRING = ConnectSchema.of(SchemaType.STRING, true);
    private static final ConnectSchema REQUIRED_INT64 = ConnectSchema.of(SchemaType.INT64, false);
    private static final ConnectSchema OPTIONAL_INT64 = ConnectSchema.of(SchemaType.INT64, true);

    /** The Oracle connector's {@code source} block. */
    public static final ConnectSchema ORACLE_SOURCE = ConnectSchema.builder(SchemaType.STRUCT)
            .name("io.debezium.connector.oracle.Source")
            .field("version", REQUIRED_STRING)
            .field("connector", REQUIRED_STRING)
            .field("name", REQUIRED_STRING)
            .field("ts_ms", REQUIRED_INT64)
            .field("snapshot", ConnectSchema.builder(SchemaType.STRING).optional().name("io.debezium.data.Enum")
                    .version(1).parameter("allowed", "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental")
                    .build())
            .field("db", REQUIRED_STRING)
            .field("sequence", OPTIONAL_STRING)
            .field("schema", REQUIRED_STRING)
            .field("table", REQUIRED_STRING)
            .field("txId", OPTIONAL_STRING)
            .field("scn", OPTIONAL_STRING)
            .field("commit_scn", OPTIONAL_STRING)
            .build();

    /** Debezium's transaction metadata block. */
    public static final ConnectSchema TRANSACTION = ConnectSchema.builder(SchemaType.STRUCT).optional()
            .name("event.block").version(1)
            .field("id", REQUIRED_STRING)
            .field("total_order", REQUIRED_INT64)
            .field("data_collection_order", REQUIRED_INT64)
            .build();

    private EnvelopeSchemas() {
    }

    /** The whole envelope for a row schema named {@code server.SCHEMA.TABLE.Value}. */
    public static ConnectSchema envelope(ConnectSchema valueSchema) {
        String valueName = valueSchema.name();
        String envelopeName = valueName == null ? "Envelope"
                : valueName.endsWith(".Value") ? valueName.substring(0, valueName.length() - 6) + ".Envelope"
                : valueName + ".Envelope";
        ConnectSchema image = valueSchema.optional() ? valueSchema
                : ConnectSchema.builder(SchemaType.STRUCT).optional().name(valueName).fieldsFrom(valueSchema).build();
        return ConnectSchema.builder(SchemaType.STRUCT)
                .name(envelopeName).version(1)
                .field("before", image)
                .field("after", image)
                .field("source", ORACLE_SOURCE)
                .field("transaction", TRANSACTION)
                .field("op", REQUIRED_STRING)
                .field("ts_ms", OPTIONAL_INT64)
                .build();
    }
}
