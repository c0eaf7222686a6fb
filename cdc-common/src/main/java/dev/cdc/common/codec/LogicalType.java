package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.schema.ConnectSchema;
import java.io.IOException;

/**
 * A semantic type registered under its schema name (e.g. {@code io.debezium.time.MicroTimestamp}): how its JSON
 * form becomes a Java value and back. Unknown names are never a failure: the value decodes as its physical type.
 */
public interface LogicalType {

    /** The schema name this type is registered under. */
    String schemaName();

    /** Decodes a non-null JSON value written for {@code schema}. */
    Object decode(JsonNode json, ConnectSchema schema, String path);

    /** Writes a non-null Java value for {@code schema}. */
    void encode(Object value, ConnectSchema schema, JsonGenerator out, String path) throws IOException;
}
