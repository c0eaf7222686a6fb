package dev.cdc.common.xml;

import dev.cdc.common.event.TableId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One extraction rule: the XML column {@code column} of table {@code source} holds repeating elements, each of which
 * becomes a row of table {@code target}: {@code parentKey} (the parent row's key), {@code line_no} (1, 2, ... in
 * document order) and one column per field. Built from configuration by {@link XmlExtractions}; applied by
 * {@link XmlExtractor}.
 *
 * <p>The path of the repeating element is a small subset of XPath, element local names only:
 * <ul>
 *   <li>{@code /shipping_info/items/item}: absolute, each step a child of the one before;</li>
 *   <li>{@code /shipping_info//item}: {@code //} is any depth, so {@code item} elements anywhere under
 *       {@code shipping_info} ({@code <items><item/>} as well as {@code <packages><package><items><item/>});</li>
 *   <li>{@code //item}: {@code item} elements anywhere.</li>
 * </ul>
 * No predicates, wildcards, attributes or namespace prefixes: a name matches an element's local name whatever its
 * namespace. An element that matches inside a matched element is part of the outer one, not a row of its own.
 * Field sources are described on {@link XmlField}.
 *
 * @param name the rule's name (its configuration key)
 * @param column the source column, upper case (an Oracle name: {@code shipping_info} is {@code SHIPPING_INFO})
 * @param target the target table, a lower-case SQL name
 * @param parentKey the target column holding the parent row's key, a lower-case SQL name
 * @param repeating the path of the repeating element
 * @param fields the target columns after {@code parentKey} and {@code line_no}, in order
 * @param onMalformed what the caller does with a refused document
 * @param maxBytes the largest document accepted, in UTF-8 bytes
 */
public record XmlExtraction(String name, TableId source, String column, String target, String parentKey,
                            String repeating, List<XmlField> fields, MalformedPolicy onMalformed, int maxBytes) {

    public static final String LINE_NO = "line_no";
    public static final int DEFAULT_MAX_BYTES = 16 << 20;

    private static final Pattern SQL_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern ORACLE_NAME = Pattern.compile("[A-Z][A-Z0-9_$#]{0,127}");

    public XmlExtraction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source of " + name);
        Objects.requireNonNull(onMalformed, "onMalformed of " + name);
        column = sourceColumn(column);
        List<String> problems = new ArrayList<>();
        check(problems, () -> requireSqlName("target", target));
        check(problems, () -> requireSqlName("parent key", parentKey));
        check(problems, () -> RepeatingPath.parse(repeating));
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            problems.add("at least one field is required");
        }
        Set<String> columns = new HashSet<>();
        for (XmlField field : fields) {
            if (field.column().equals(LINE_NO) || field.column().equals(parentKey)) {
                problems.add("field " + field.column() + " would overwrite the " + (field.column().equals(LINE_NO) ? "line number" : "parent key") + " column");
            } else if (!columns.add(field.column())) {
                problems.add("field " + field.column() + " is declared twice");
            }
        }
        if (LINE_NO.equals(parentKey)) {
            problems.add("parent key may not be " + LINE_NO);
        }
        if (maxBytes < 1) {
            problems.add("maxBytes must be positive, was " + maxBytes);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("xml extraction " + name + ": " + String.join("; ", problems));
        }
    }

    /** A rule that sends refused documents to the DLQ and accepts documents up to 16 MB. */
    public XmlExtraction(String name, TableId source, String column, String target, String parentKey,
                         String repeating, List<XmlField> fields) {
        this(name, source, column, target, parentKey, repeating, fields, MalformedPolicy.DLQ, DEFAULT_MAX_BYTES);
    }

    /** The target columns in row order: parent key, line number, fields. */
    public List<String> targetColumns() {
        List<String> columns = new ArrayList<>(List.of(parentKey, LINE_NO));
        fields.forEach(f -> columns.add(f.column()));
        return columns;
    }

    /** @throws IllegalArgumentException unless {@code value} is a lower-case SQL name, safe to quote into DDL */
    static String requireSqlName(String what, String value) {
        if (value == null || !SQL_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " \"" + value + "\" must be a lower-case SQL name matching " + SQL_NAME);
        }
        return value;
    }

    /** The column as Oracle names it: unquoted names are upper case. */
    static String sourceColumn(String value) {
        String upper = value == null ? null : value.strip().toUpperCase(Locale.ROOT);
        if (upper == null || !ORACLE_NAME.matcher(upper).matches()) {
            throw new IllegalArgumentException("column \"" + value + "\" must be a column name: a letter, then letters, digits, _, $ or #");
        }
        return upper;
    }

    private static void check(List<String> problems, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }
}
