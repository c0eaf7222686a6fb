package dev.cdc.common.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.TableId;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The configured alert rules, one per name under {@value #PREFIX}:
 * <pre>{@code
 * alerts:
 *   rules:
 *     big-order:     {type: above,   table: SALES.ORDERS,    column: TOTAL_AMOUNT, threshold: 4800}
 *     low-stock:     {type: below,   table: SALES.PRODUCTS,  column: STOCK_QTY,    threshold: 250}
 *     tier-change:   {type: changed, table: SALES.CUSTOMERS, column: TIER}
 *     order-cancelled: {type: equals, table: SALES.ORDERS,   column: STATUS,       value: CANCELLED}
 * }</pre>
 * What each type means is on {@link AlertRule}. No rules at all is a valid configuration: nothing is ever raised.
 * Immutable and {@link Serializable}, so an engine can ship the set to its tasks; {@link #evaluate} is thread-safe.
 *
 * <p>Callers check the keys with {@code config.validate(AlertRules.settings(config), List.of(AlertRules.SECTION))}
 * (an unknown key is a typo) and read the rules with {@link #load}.
 */
public final class AlertRules implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The configuration section that holds nothing but alert rules. */
    public static final String SECTION = "alerts";
    public static final String PREFIX = "alerts.rules";

    private static final Set<String> LEAVES = Set.of("type", "table", "column", "threshold", "value");
    private static final AlertRules NONE = new AlertRules(List.of());

    /** By name. */
    private final List<AlertRule> rules;
    private final Map<TableId, List<AlertRule>> byTable;

    private AlertRules(List<AlertRule> rules) {
        this.rules = List.copyOf(rules);
        Map<TableId, List<AlertRule>> index = new HashMap<>();
        for (AlertRule rule : this.rules) {
            index.computeIfAbsent(rule.table(), t -> new ArrayList<>()).add(rule);
        }
        index.replaceAll((t, list) -> List.copyOf(list));
        this.byTable = Map.copyOf(index);
    }

    /** No rules: nothing is raised. */
    public static AlertRules none() {
        return NONE;
    }

    /**
     * These rules, ordered by name.
     *
     * @throws IllegalArgumentException when two rules share a name (alert ids would collide)
     */
    public static AlertRules of(Collection<AlertRule> rules) {
        Map<String, AlertRule> byName = new TreeMap<>();
        for (AlertRule rule : rules) {
            if (byName.putIfAbsent(rule.name(), rule) != null) {
                throw new IllegalArgumentException("two alert rules are named " + rule.name());
            }
        }
        return byName.isEmpty() ? NONE : new AlertRules(new ArrayList<>(byName.values()));
    }

    // ------------------------------------------------------------------ settings

    public static Setting<AlertRule.Kind> type(String rule) {
        return new Setting<>(key(rule, "type"), "what alert rule " + rule + " looks for: above, below, changed or equals",
                null, false, text -> {
                    for (AlertRule.Kind kind : AlertRule.Kind.values()) {
                        if (kind.configName().equals(text.strip().toLowerCase(Locale.ROOT))) {
                            return kind;
                        }
                    }
                    throw new IllegalArgumentException("expected one of above, below, changed, equals");
                });
    }

    public static Setting<TableId> table(String rule) {
        return new Setting<>(key(rule, "table"), "table (SCHEMA.TABLE) whose changes alert rule " + rule + " judges",
                null, false, text -> TableId.parse(text.strip()));
    }

    public static Setting<String> column(String rule) {
        return new Setting<>(key(rule, "column"), "column alert rule " + rule + " judges", null, false,
                AlertRule::columnName);
    }

    /** Optional here (empty means unset): whether the rule's type needs it is checked by {@link #load}. */
    public static Setting<BigDecimal> threshold(String rule) {
        return new Setting<>(key(rule, "threshold"), "bound of alert rule " + rule + " (above, below)", "", false,
                text -> {
                    if (text.isBlank()) {
                        return null;
                    }
                    BigDecimal number = AlertValues.parseNumber(text);
                    if (number == null) {
                        throw new IllegalArgumentException("expected a decimal number such as 5000 or 9.5");
                    }
                    return number;
                });
    }

    /** Optional here (empty means unset): whether the rule's type needs it is checked by {@link #load}. */
    public static Setting<String> value(String rule) {
        return new Setting<>(key(rule, "value"), "value alert rule " + rule + " waits for (equals)", "", false,
                text -> text.isEmpty() ? null : text);
    }

    /** Every setting of the configured rules, for {@link Configuration#validate}. */
    public static List<Setting<?>> settings(Configuration config) {
        List<Setting<?>> all = new ArrayList<>();
        for (String rule : ruleNames(config)) {
            all.addAll(List.of(type(rule), table(rule), column(rule), threshold(rule), value(rule)));
        }
        return all;
    }

    /**
     * The configured rules; none when the configuration has no {@value #SECTION} section.
     *
     * @throws ConfigException with every problem found, each naming its key
     */
    public static AlertRules load(Configuration config) {
        List<AlertRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String rule : ruleNames(config)) {
            if (rule.contains(".")) {
                // rule keys are found by their leaves, so a misplaced key shows up as a dotted name
                problems.add(PREFIX + "." + rule + ": a rule name can't contain dots; is a key misplaced?");
                continue;
            }
            int before = problems.size();
            if (!AlertRule.isName(rule)) {
                problems.add(PREFIX + "." + rule + ": " + AlertRule.NAME_RULE);
            }
            AlertRule.Kind kind = get(config, type(rule), problems);
            TableId table = get(config, table(rule), problems);
            String column = get(config, column(rule), problems);
            int beforeThreshold = problems.size();
            BigDecimal threshold = get(config, threshold(rule), problems);
            boolean thresholdGiven = threshold != null || problems.size() > beforeThreshold; // a bad one is reported already
            String value = get(config, value(rule), problems);
            if (kind != null) {
                for (String problem : AlertRule.problems(kind, thresholdGiven, value != null)) {
                    problems.add(PREFIX + "." + rule + "." + problem);
                }
            }
            if (problems.size() == before) {
                rules.add(new AlertRule(rule, kind, table, column, threshold, value));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return of(rules);
    }

    /**
     * The rules as a truth manifest recorded them ({@link #describe}); none for a missing or empty node.
     *
     * @throws ConfigException when a recorded rule is not valid
     */
    public static AlertRules fromDescription(JsonNode rules) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (rules != null) {
            rules.properties().forEach(rule -> rule.getValue().properties().forEach(leaf -> keys.put(
                    key(rule.getKey(), leaf.getKey()),
                    leaf.getValue().isNumber() ? leaf.getValue().decimalValue().toPlainString() : leaf.getValue().asText())));
        }
        return load(Configuration.empty().with(keys));
    }

    private static Set<String> ruleNames(Configuration config) {
        return new TreeSet<>(config.children(PREFIX, LEAVES));
    }

    private static String key(String rule, String leaf) {
        return PREFIX + "." + rule + "." + leaf;
    }

    private static <T> T get(Configuration config, Setting<T> setting, List<String> problems) {
        try {
            return config.get(setting);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    // ------------------------------------------------------------------ use

    /** Every rule, by name. */
    public List<AlertRule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The rules that judge changes of {@code table}, by name; empty when none does. */
    public List<AlertRule> rulesFor(TableId table) {
        return byTable.getOrDefault(table, List.of());
    }

    /**
     * The alerts {@code event} raises, in rule-name order: a function of this one event alone, so the same whatever
     * order events arrive in, and the same for every delivery of it (same alert ids). Values that can't be judged
     * never fire; the only failure is an event without a valid position, which has no id to give an alert
     * ({@link dev.cdc.common.event.MalformedEventException}, as everywhere a position is read).
     */
    public List<Alert> evaluate(ChangeEvent event) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<AlertRule> candidates = rulesFor(event.table());
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<Alert> alerts = null;
        for (AlertRule rule : candidates) {
            Alert alert = rule.fire(event);
            if (alert != null) {
                if (alerts == null) {
                    alerts = new ArrayList<>(2);
                }
                alerts.add(alert);
            }
        }
        return alerts == null ? List.of() : List.copyOf(alerts);
    }

    /** Rule definitions by name, as the truth manifest records them (see {@link AlertRule#describe}). */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        rules.forEach(rule -> out.put(rule.name(), rule.describe()));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertRules other && rules.equals(other.rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return "AlertRules" + rules.stream().map(AlertRule::name).toList();
    }
}
