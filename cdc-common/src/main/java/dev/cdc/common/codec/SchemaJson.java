package dev.cdc.common.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/** Reads and writes a {@link ConnectSchema} in JsonConverter's schema JSON (keys in the order JsonConverter writes them). */
public final class SchemaJson {

    private static final JsonFactory JSON = new JsonFactory();

    private SchemaJson() {
    }

    public static String render(ConnectSchema schema) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            write(schema, null, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(ConnectSchema schema, String fieldName, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", schema.type().jsonName());
        if (schema.type() == SchemaType.STRUCT) {
            out.writeArrayFieldStart("fields");
            for (ConnectSchema.Field field : schema.fields()) {
                write(field.schema(), field.name(), out);
            }
            out.writeEndArray();
        } else if (schema.type() == SchemaType.ARRAY) {
            out.writeFieldName("items");
            write(schema.valueSchema(), null, out);
        } else if (schema.type() == SchemaType.MAP) {
            out.writeFieldName("keys");
            write(ConnectSchema.of(SchemaType.STRING, false), null, out);
            out.writeFieldName("values");
            write(schema.valueSchema(), null, out);
        }
        out.writeBooleanField("optional", schema.optional());
        if (schema.name() != null) {
            out.writeStringField("name", schema.name());
        }
        if (schema.version() != null) {
            out.writeNumberField("version", schema.version());
        }
        if (!schema.parameters().isEmpty()) {
            out.writeObjectFieldStart("parameters");
            for (Map.Entry<String, String> p : schema.parameters().entrySet()) {
                out.writeStringField(p.getKey(), p.getValue());
            }
            out.writeEndObject();
        }
        if (fieldName != null) {
            out.writeStringField("field", fieldName);
        }
        out.writeEndObject();
    }

    /** Parses a schema JSON node; {@code path} names it in errors. */
    public static ConnectSchema parse(JsonNode json, String path) {
        if (json == null || !json.isObject()) {
            throw MalformedEventException.wrongValue(path, "a schema object", json);
        }
        SchemaType type;
        try {
            type = SchemaType.fromJsonName(text(json, "type"));
        } catch (IllegalArgumentException e) {
            throw MalformedEventException.invalid(path + ".type", e);
        }
        ConnectSchema.Builder builder = ConnectSchema.builder(type)
                .optional(json.path("optional").asBoolean(false))
                .name(text(json, "name"));
        JsonNode version = json.get("version");
        if (version != null && version.isIntegralNumber()) {
            builder.version(version.intValue());
        }
        JsonNode parameters = json.get("parameters");
        if (parameters != null && parameters.isObject()) {
            for (Map.Entry<String, JsonNode> p : parameters.properties()) {
                builder.parameter(p.getKey(), p.getValue().asText());
            }
        }
        switch (type) {
            case STRUCT -> {
                JsonNode fields = json.get("fields");
                if (fields == null || !fields.isArray()) {
                    throw MalformedEventException.missing(path + ".fields");
                }
                for (int i = 0; i < fields.size(); i++) {
                    JsonNode field = fields.get(i);
                    String name = text(field, "field");
                    if (name == null) {
                        throw MalformedEventException.missing(path + ".fields[" + i + "].field");
                    }
                    builder.field(name, parse(field, path + "." + name));
                }
            }
            case ARRAY -> builder.valueSchema(parse(json.get("items"), path + ".items"));
            case MAP -> builder.valueSchema(parse(json.get("values"), path + ".values"));
            default -> { }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw MalformedEventException.invalid(path, e);
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
