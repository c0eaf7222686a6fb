package dev.cdc.common.alert;

import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One alert rule: a condition on one column of one table, judged on a single change event alone (its before and
 * after images). Nothing else is consulted, no earlier event and no state, so a correct pipeline raises the same
 * alerts whatever order the events arrive in, and the generator's truth can predict them. Built from configuration
 * by {@link AlertRules}.
 *
 * <ul>
 *   <li>{@link Kind#ABOVE}: the after value is greater than {@code threshold} and the before value was not (absent,
 *       null, or at most the threshold): the change crossed the threshold upwards.</li>
 *   <li>{@link Kind#BELOW}: the after value is less than {@code threshold} and the before value was not.</li>
 *   <li>{@link Kind#CHANGED}: an update whose before and after values of the column differ (null differs from a
 *       value).</li>
 *   <li>{@link Kind#EQUALS}: the after value equals {@code value} and the before value did not. Text is compared as
 *       it is; a numeric column is compared as a number ({@code value: 5} matches 5, 5.0 and a decimal 5.00).</li>
 * </ul>
 * A delete never fires (it has no after image); a snapshot read and an insert are judged with no before image. A
 * column the event's schema does not carry, Debezium's unavailable-LOB placeholder on either side, and for
 * {@code above}/{@code below} a value that is not a number, never fire: a value never makes evaluation throw.
 * Values are read as the column's schema says they travel, so every decimal mode gives the same alerts.
 *
 * @param name the rule's name (its configuration key), part of every alert id: letters, digits, {@code -}, {@code _}
 * @param column the column, upper case (an Oracle name: {@code total_amount} is {@code TOTAL_AMOUNT})
 * @param threshold the bound of {@code above} and {@code below}; null for the other kinds
 * @param value the value of {@code equals}; null for the other kinds
 */
public record AlertRule(String name, Kind kind, TableId table, String column, BigDecimal threshold, String value)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final Pattern ORACLE_NAME = Pattern.compile("[A-Z][A-Z0-9_$#]{0,127}");

    /** What a rule looks for; written in lower case in the configuration. */
    public enum Kind {
        ABOVE, BELOW, CHANGED, EQUALS;

        /** The configuration's name: {@code above}, {@code below}, {@code changed}, {@code equals}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean usesThreshold() {
            return this == ABOVE || this == BELOW;
        }
    }

    public AlertRule {
        List<String> problems = new ArrayList<>();
        if (!isName(name)) {
            problems.add("name \"" + name + "\": " + NAME_RULE);
        }
        if (kind == null) {
            problems.add("type: required (one of above, below, changed, equals)");
        }
        if (table == null) {
            problems.add("table: required (SCHEMA.TABLE)");
        }
        try {
            column = columnName(column);
        } catch (IllegalArgumentException e) {
            problems.add("column: " + e.getMessage());
        }
        if (threshold != null) {
            // one form per number, so a rule read back from a truth manifest equals the configured one
            BigDecimal stripped = threshold.stripTrailingZeros();
            threshold = stripped.scale() < 0 ? stripped.setScale(0) : stripped;
        }
        if (kind != null) {
            problems.addAll(problems(kind, threshold != null, value != null));
        }
        if (value != null && value.isEmpty()) {
            problems.add("value: must not be empty");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("alert rule " + name + ": " + String.join("; ", problems));
        }
    }

    static final String NAME_RULE = "a rule name is letters, digits, - and _ (at most 100), starting with a letter"
            + " or digit: it is part of every alert id";

    static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The column as Oracle names it (unquoted names are upper case); refuses what can't be a column name. */
    static String columnName(String text) {
        String upper = text == null ? null : text.strip().toUpperCase(Locale.ROOT);
        if (upper == null || !ORACLE_NAME.matcher(upper).matches()) {
            throw new IllegalArgumentException("column \"" + text + "\" must be a column name: a letter, then letters,"
                    + " digits, _, $ or #");
        }
        return upper;
    }

    /**
     * What a rule of {@code kind} lacks or has too much, each problem starting with its setting ({@code threshold: ...}),
     * so the configuration loader can name the key.
     */
    static List<String> problems(Kind kind, boolean hasThreshold, boolean hasValue) {
        List<String> problems = new ArrayList<>();
        String article = kind == Kind.ABOVE || kind == Kind.EQUALS ? "an " : "a ";
        if (kind.usesThreshold() && !hasThreshold) {
            problems.add("threshold: required by " + article + kind.configName() + " rule");
        }
        if (!kind.usesThreshold() && hasThreshold) {
            problems.add("threshold: not used by " + article + kind.configName() + " rule"
                    + (kind == Kind.EQUALS ? " (it compares with value)" : ""));
        }
        if (kind == Kind.EQUALS && !hasValue) {
            problems.add("value: required by an equals rule");
        }
        if (kind != Kind.EQUALS && hasValue) {
            problems.add("value: not used by " + article + kind.configName() + " rule"
                    + (kind.usesThreshold() ? " (it compares with threshold)" : ""));
        }
        return problems;
    }

    public static AlertRule above(String name, TableId table, String column, BigDecimal threshold) {
        return new AlertRule(name, Kind.ABOVE, table, column, threshold, null);
    }

    public static AlertRule below(String name, TableId table, String column, BigDecimal threshold) {
        return new AlertRule(name, Kind.BELOW, table, column, threshold, null);
    }

    public static AlertRule changed(String name, TableId table, String column) {
        return new AlertRule(name, Kind.CHANGED, table, column, null, null);
    }

    public static AlertRule equalTo(String name, TableId table, String column, String value) {
        return new AlertRule(name, Kind.EQUALS, table, column, null, value);
    }

    /** The alert this rule raises on {@code event}, if it fires; events of other tables never fire. */
    public Optional<Alert> evaluate(ChangeEvent event) {
        return Optional.ofNullable(fire(event));
    }

    /** As {@link #evaluate}, null when the rule does not fire (the hot path of {@link AlertRules#evaluate}). */
    Alert fire(ChangeEvent event) {
        if (event.op() == Operation.DELETE || event.after() == null || !table.table().equals(event.source().table())
                || !table.schema().equals(event.source().schema())) {
            return null;
        }
        ConnectSchema columnSchema = event.valueSchema().field(column).map(ConnectSchema.Field::schema).orElse(null);
        if (columnSchema == null) {
            return null; // the column is not in this event (dropped, or not there yet)
        }
        Object afterRaw = event.after().get(column);
        boolean update = event.op() == Operation.UPDATE && event.before() != null;
        Object beforeRaw = update ? event.before().get(column) : null;
        if (AlertValues.unavailable(afterRaw) || AlertValues.unavailable(beforeRaw)) {
            return null;
        }
        // most events do not fire: values are put in canonical form only once a rule is about to
        return switch (kind) {
            case ABOVE, BELOW -> crossed(event, AlertValues.observed(beforeRaw, columnSchema),
                    AlertValues.observed(afterRaw, columnSchema));
            case CHANGED -> update ? changed(event, AlertValues.canonical(AlertValues.observed(beforeRaw, columnSchema)),
                    AlertValues.canonical(AlertValues.observed(afterRaw, columnSchema))) : null;
            case EQUALS -> became(event, AlertValues.canonical(AlertValues.observed(beforeRaw, columnSchema)),
                    AlertValues.canonical(AlertValues.observed(afterRaw, columnSchema)));
        };
    }

    private Alert crossed(ChangeEvent event, Object before, Object after) {
        BigDecimal now = AlertValues.number(after);
        if (now == null || !beyond(now)) {
            return null;
        }
        if (before != null) {
            BigDecimal was = AlertValues.number(before);
            if (was == null || beyond(was)) {
                return null; // already beyond the threshold, or not a number we can judge
            }
        }
        Object value = AlertValues.canonicalNumber(now);
        Object bound = AlertValues.canonicalNumber(threshold);
        return alert(event, value, bound, column + " " + AlertValues.amount(value) + " " + kind.configName() + " "
                + AlertValues.plain(bound));
    }

    private Alert changed(ChangeEvent event, Object before, Object after) {
        return Objects.equals(before, after) ? null : alert(event, after, null,
                column + " changed from " + AlertValues.plain(before) + " to " + AlertValues.plain(after));
    }

    private Alert became(ChangeEvent event, Object before, Object after) {
        return matches(after) && !matches(before) ? alert(event, after, value, column + " became " + value) : null;
    }

    private boolean beyond(BigDecimal v) {
        int c = v.compareTo(threshold);
        return kind == Kind.ABOVE ? c > 0 : c < 0;
    }

    private boolean matches(Object canonical) {
        if (canonical instanceof Long || canonical instanceof BigDecimal) {
            BigDecimal expected = AlertValues.parseNumber(value);
            return expected != null && expected.compareTo(AlertValues.number(canonical)) == 0;
        }
        return value.equals(AlertValues.text(canonical));
    }

    private Alert alert(ChangeEvent event, Object value, Object threshold, String message) {
        return Alert.of(name, event, column, value, threshold, message);
    }

    /** The rule as the truth manifest records it: {@code {"type":"above","table":"SALES.ORDERS","column":...}}. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", kind.configName());
        out.put("table", table.toString());
        out.put("column", column);
        if (threshold != null) {
            out.put("threshold", threshold);
        }
        if (value != null) {
            out.put("value", value);
        }
        return out;
    }
}
