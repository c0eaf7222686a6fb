package dev.cdc.ods.schema;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An identifier for the ODS taken from a payload or configuration (a table or column name): validated, lower-cased
 * as PostgreSQL folds unquoted names, and always written quoted, never concatenated raw into SQL.
 */
public record SqlIdentifier(String name) {

    /** Oracle's unquoted identifier characters; at most 63 bytes, PostgreSQL's limit. */
    private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_$#]{0,62}");

    public SqlIdentifier {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new InvalidIdentifierException(name);
        }
    }

    /** The ODS name of a source name ({@code ORDER_ID} becomes {@code order_id}). */
    public static SqlIdentifier of(String sourceName) {
        return new SqlIdentifier(sourceName == null ? null : sourceName.toLowerCase(Locale.ROOT));
    }

    /** Whether a source name makes a valid ODS identifier. */
    public static boolean isValid(String sourceName) {
        return sourceName != null && VALID.matcher(sourceName.toLowerCase(Locale.ROOT)).matches();
    }

    /** The identifier quoted for SQL; validation already excluded quotes, so nothing needs escaping. */
    public String quoted() {
        return '"' + name + '"';
    }

    @Override
    public String toString() {
        return name;
    }

    /** A name from a payload that can't be an ODS identifier: the event is a dead letter, never executed. */
    public static final class InvalidIdentifierException extends IllegalArgumentException {
        public InvalidIdentifierException(String name) {
            super("invalid identifier " + (name == null ? "null" : '"' + name.replace("\"", "\\\"") + '"')
                    + ": expected a letter or '_', then letters, digits, '_', '$' or '#', at most 63 characters");
        }
    }
}
