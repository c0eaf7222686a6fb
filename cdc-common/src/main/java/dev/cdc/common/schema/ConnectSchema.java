package dev.cdc.common.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kafka Connect schema as JsonConverter writes it with schemas enabled: a physical type, an optional
 * logical name (e.g. {@code org.apache.kafka.connect.data.Decimal}), parameters, and for structs the fields
 * in order. Immutable; the hash is computed once because encoders cache work per schema.
 */
public final class ConnectSchema {

    private final SchemaType type;
    private final boolean optional;
    private final String name;
    private final Integer version;
    private final Map<String, String> parameters;
    private final List<Field> fields;
    private final ConnectSchema valueSchema;
    private final Map<String, Field> fieldsByName;
    private final int hash;

    private ConnectSchema(SchemaType type, boolean optional, String name, Integer version,
                          Map<String, String> parameters, List<Field> fields, ConnectSchema valueSchema) {
        this.type = Objects.requireNonNull(type, "type");
        this.optional = optional;
        this.name = name;
        this.version = version;
        this.parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.fields = fields == null ? List.of() : List.copyOf(fields);
        this.valueSchema = valueSchema;
        if (type == SchemaType.STRUCT) {
            Map<String, Field> byName = new LinkedHashMap<>();
            for (Field f : this.fields) {
                if (byName.put(f.name(), f) != null) {
                    throw new IllegalArgumentException("struct " + name + " has field \"" + f.name() + "\" twice");
                }
            }
            this.fieldsByName = Collections.unmodifiableMap(byName);
        } else if (!this.fields.isEmpty()) {
            throw new IllegalArgumentException("only a struct has fields, not " + type.jsonName());
        } else {
            this.fieldsByName = Map.of();
        }
        if ((type == SchemaType.ARRAY || type == SchemaType.MAP) && valueSchema == null) {
            throw new IllegalArgumentException(type.jsonName() + " schema needs an element schema");
        }
        this.hash = Objects.hash(type, optional, name, version, this.parameters, this.fields, valueSchema);
    }

    public static Builder builder(SchemaType type) {
        return new Builder(type);
    }

    /** A plain optional or required schema of one physical type. */
    public static ConnectSchema of(SchemaType type, boolean optional) {
        return builder(type).optional(optional).build();
    }

    public SchemaType type() {
        return type;
    }

    public boolean optional() {
        return optional;
    }

    /** The logical type name, or null for a plain physical type. */
    public String name() {
        return name;
    }

    public Integer version() {
        return version;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    public String parameter(String key) {
        return parameters.get(key);
    }

    /** The fields of a struct, in order; empty for other types. */
    public List<Field> fields() {
        return fields;
    }

    public Optional<Field> field(String fieldName) {
        return Optional.ofNullable(fieldsByName.get(fieldName));
    }

    /** Element schema of an array, value schema of a map. */
    public ConnectSchema valueSchema() {
        return valueSchema;
    }

    /** A copy of this struct with one more field at the end. */
    public ConnectSchema withField(Field field) {
        List<Field> copy = new ArrayList<>(fields);
        copy.add(field);
        return new ConnectSchema(type, optional, name, version, parameters, copy, valueSchema);
    }

    /** A copy of this struct without the named field. */
    public ConnectSchema withoutField(String fieldName) {
        List<Field> copy = new ArrayList<>(fields);
        copy.removeIf(f -> f.name().equals(fieldName));
        return new ConnectSchema(type, optional, name, version, parameters, copy, valueSchema);
    }

    /** A copy of this struct with the named field's schema replaced. */
    public ConnectSchema withFieldSchema(String fieldName, ConnectSchema schema) {
        List<Field> copy = new ArrayList<>(fields.size());
        for (Field f : fields) {
            copy.add(f.name().equals(fieldName) ? new Field(fieldName, schema) : f);
        }
        return new ConnectSchema(type, optional, name, version, parameters, copy, valueSchema);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ConnectSchema other) || hash != other.hash) {
            return false;
        }
        return type == other.type && optional == other.optional && Objects.equals(name, other.name)
                && Objects.equals(version, other.version) && parameters.equals(other.parameters)
                && fields.equals(other.fields) && Objects.equals(valueSchema, other.valueSchema);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.jsonName());
        if (name != null) {
            sb.append('(').append(name).append(')');
        }
        if (!fields.isEmpty()) {
            sb.append(fields);
        }
        return optional ? sb.append('?').toString() : sb.toString();
    }

    /** A named field of a struct schema. */
    public record Field(String name, ConnectSchema schema) {
        public Field {
            Objects.requireNonNull(name, "field name");
            Objects.requireNonNull(schema, "schema of field " + name);
        }

        @Override
        public String toString() {
            return name + ":" + schema;
        }
    }

    public static final class Builder {
        private final SchemaType type;
        private boolean optional;
        private String name;
        private Integer version;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private final List<Field> fields = new ArrayList<>();
        private ConnectSchema valueSchema;

        private Builder(SchemaType type) {
            this.type = type;
        }

        public Builder optional(boolean value) {
            this.optional = value;
            return this;
        }

        public Builder optional() {
            return optional(true);
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        public Builder version(Integer value) {
            this.version = value;
            return this;
        }

        public Builder parameter(String key, String value) {
            parameters.put(key, value);
            return this;
        }

        public Builder field(String fieldName, ConnectSchema schema) {
            fields.add(new Field(fieldName, schema));
            return this;
        }

        /** Copies the fields of another struct schema, in order. */
        public Builder fieldsFrom(ConnectSchema struct) {
            fields.addAll(struct.fields());
            return this;
        }

        public Builder valueSchema(ConnectSchema schema) {
            this.valueSchema = schema;
            return this;
        }

        public ConnectSchema build() {
            return new ConnectSchema(type, optional, name, version, parameters, fields, valueSchema);
        }
    }
}
