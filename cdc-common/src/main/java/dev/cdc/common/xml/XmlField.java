package dev.cdc.common.xml;

import java.util.List;
import java.util.Objects;

/**
 * One extracted field: the target column, where its value is read, and its type.
 *
 * @param column the target column, a lower-case SQL name
 * @param from the alternatives, relative to the repeating element, tried in order; the first one present in the
 *             element wins, none present gives null: {@code @attr} (an attribute of the repeating element),
 *             {@code child} (the text of a child element), {@code child/grandchild} (deeper),
 *             {@code child/@attr} (an attribute of a child), {@code .} (the repeating element's own text)
 */
public record XmlField(String column, List<String> from, FieldType type) {

    public XmlField {
        XmlExtraction.requireSqlName("field column", column);
        Objects.requireNonNull(from, "from of " + column);
        Objects.requireNonNull(type, "type of " + column);
        from = List.copyOf(from);
        if (from.isEmpty()) {
            throw new IllegalArgumentException("field " + column + ": from needs at least one source, e.g. @" + column + " or " + column);
        }
        for (String source : from) {
            try {
                FieldSource.parse(source);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field " + column + ": " + e.getMessage(), e);
            }
        }
    }

    public static XmlField of(String column, FieldType type, String... from) {
        return new XmlField(column, List.of(from), type);
    }

    /** Internal: the alternatives, compiled. */
    List<FieldSource> sources() {
        return from.stream().map(FieldSource::parse).toList();
    }
}
