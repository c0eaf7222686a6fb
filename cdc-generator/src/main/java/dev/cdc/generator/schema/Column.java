package dev.cdc.generator.schema;

import java.util.Objects;

/** A source column: name, Oracle type, nullability, and whether it holds XML to extract. */
public record Column(String name, OracleType type, boolean nullable, boolean xml) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type of " + name);
    }

    public static Column required(String name, OracleType type) {
        return new Column(name, type, false, false);
    }

    public static Column nullable(String name, OracleType type) {
        return new Column(name, type, true, false);
    }

    public static Column xml(String name) {
        return new Column(name, new OracleType.Clob(), true, true);
    }
}
