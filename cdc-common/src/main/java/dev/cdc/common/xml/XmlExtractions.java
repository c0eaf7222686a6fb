package dev.cdc.common.xml;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.common.event.TableId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The extraction rules of the configuration, one per name under {@value #PREFIX}:
 * <pre>{@code
 * xml:
 *   extractions:
 *     order-items:
 *       source: SALES.ORDERS
 *       column: SHIPPING_INFO
 *       repeating: /shipping_info//item
 *       target: cdc_order_items_extracted
 *       parent-key: order_id
 *       on-malformed: dlq          # dlq | skip | fail
 *       max-bytes: 16777216
 *       fields:
 *         product_id: {type: integer, from: ["@product_id", product_id]}
 * }</pre>
 * A field's {@code from} is a list or a comma-separated string; its {@code type} is integer, decimal, text (the
 * default) or boolean. A YAML plain value can't start with {@code @}: quote attribute sources. Rules come by name and
 * fields by column name: the configuration keeps no key order.
 *
 * <p>Callers check the keys with {@code config.validate(XmlExtractions.settings(config), List.of(XmlExtractions.SECTION))}
 * (an unknown key is a typo) and read the rules with {@link #load}.
 */
public final class XmlExtractions {

    /** The configuration section that holds nothing but extraction rules. */
    public static final String SECTION = "xml";
    public static final String PREFIX = "xml.extractions";

    private static final Set<String> RULE_LEAVES = Set.of("source", "column", "target", "parent-key", "repeating",
            "on-malformed", "max-bytes");
    private static final Set<String> FIELD_LEAVES = Set.of("from", "type");

    private XmlExtractions() {
    }

    public static Setting<TableId> source(String rule) {
        return new Setting<>(key(rule, "source"), "source table (SCHEMA.TABLE) of " + rule, null, false,
                text -> TableId.parse(text.strip()));
    }

    public static Setting<String> column(String rule) {
        return new Setting<>(key(rule, "column"), "XML column of the source table of " + rule, null, false,
                XmlExtraction::sourceColumn);
    }

    public static Setting<String> target(String rule) {
        return new Setting<>(key(rule, "target"), "target table of " + rule, null, false,
                text -> XmlExtraction.requireSqlName("target", text.strip()));
    }

    public static Setting<String> parentKey(String rule) {
        return new Setting<>(key(rule, "parent-key"), "target column holding the parent row's key, in " + rule, null, false,
                text -> XmlExtraction.requireSqlName("parent key", text.strip()));
    }

    public static Setting<String> repeating(String rule) {
        return new Setting<>(key(rule, "repeating"), "path of the repeating element of " + rule + ", e.g. /shipping_info//item",
                null, false, text -> {
                    RepeatingPath.parse(text.strip());
                    return text.strip();
                });
    }

    public static Setting<MalformedPolicy> onMalformed(String rule) {
        return Setting.choice(key(rule, "on-malformed"), MalformedPolicy.class, MalformedPolicy.DLQ,
                "what a refused document of " + rule + " becomes");
    }

    public static Setting<Integer> maxBytes(String rule) {
        return Setting.integer(key(rule, "max-bytes"), XmlExtraction.DEFAULT_MAX_BYTES, 1, Integer.MAX_VALUE,
                "largest document of " + rule + " in UTF-8 bytes; a larger one is refused");
    }

    public static Setting<List<String>> from(String rule, String field) {
        Setting<List<String>> list = Setting.list(key(rule, "fields." + field + ".from"), null, "");
        return new Setting<>(list.key(), "where field " + field + " of " + rule + " is read: @attribute, child or"
                + " child/grandchild, first present wins (a list, or comma-separated)", null, false,
                list.parser().andThen(sources -> {
                    sources.forEach(FieldSource::parse);
                    return sources;
                }));
    }

    public static Setting<FieldType> type(String rule, String field) {
        return Setting.choice(key(rule, "fields." + field + ".type"), FieldType.class, FieldType.TEXT,
                "type of field " + field + " of " + rule);
    }

    /** Every setting of the configured rules, for {@link Configuration#validate}. */
    public static List<Setting<?>> settings(Configuration config) {
        List<Setting<?>> all = new ArrayList<>();
        for (String rule : ruleNames(config)) {
            all.addAll(List.of(source(rule), column(rule), target(rule), parentKey(rule), repeating(rule),
                    onMalformed(rule), maxBytes(rule)));
            for (String field : fieldNames(config, rule)) {
                all.addAll(List.of(from(rule, field), type(rule, field)));
            }
        }
        return all;
    }

    /**
     * The configured rules, by name.
     *
     * @throws ConfigException with every problem found, each naming its key
     */
    public static List<XmlExtraction> load(Configuration config) {
        List<XmlExtraction> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> ruleOfTarget = new HashMap<>();
        for (String rule : ruleNames(config)) {
            int before = problems.size();
            if (rule.contains(".")) {
                // rule keys are found by their leaves, so a misplaced key shows up as a dotted name
                problems.add(PREFIX + "." + rule + ": a rule name can't contain dots; is a key misplaced?");
                continue;
            }
            TableId source = get(config, source(rule), problems);
            String column = get(config, column(rule), problems);
            String target = get(config, target(rule), problems);
            String parentKey = get(config, parentKey(rule), problems);
            String repeating = get(config, repeating(rule), problems);
            MalformedPolicy onMalformed = get(config, onMalformed(rule), problems);
            Integer maxBytes = get(config, maxBytes(rule), problems);
            List<XmlField> fields = new ArrayList<>();
            for (String field : fieldNames(config, rule)) {
                List<String> from = get(config, from(rule, field), problems);
                FieldType type = get(config, type(rule, field), problems);
                if (from != null && type != null) {
                    try {
                        fields.add(new XmlField(field, from, type));
                    } catch (IllegalArgumentException e) {
                        problems.add(key(rule, "fields." + field) + ": " + e.getMessage());
                    }
                }
            }
            if (fieldNames(config, rule).isEmpty()) {
                problems.add(key(rule, "fields") + ": at least one field is required (fields.<column>.from)");
            }
            if (problems.size() > before) {
                continue;
            }
            try {
                rules.add(new XmlExtraction(rule, source, column, target, parentKey, repeating, fields, onMalformed, maxBytes));
            } catch (IllegalArgumentException e) {
                problems.add(PREFIX + "." + rule + ": " + e.getMessage());
                continue;
            }
            // each rule replaces a parent's rows whole: two rules sharing a target would delete each other's rows
            String other = ruleOfTarget.putIfAbsent(target, rule);
            if (other != null) {
                problems.add(key(rule, "target") + ": " + target + " is already the target of " + other);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return rules;
    }

    /** The rules named by a rule key or by a field key (a rule that has fields only is reported incomplete). */
    private static Set<String> ruleNames(Configuration config) {
        Set<String> names = new TreeSet<>(config.children(PREFIX, RULE_LEAVES));
        for (String field : config.children(PREFIX, FIELD_LEAVES)) {
            int at = field.indexOf(".fields.");
            if (at > 0) {
                names.add(field.substring(0, at));
            }
        }
        return names;
    }

    private static Set<String> fieldNames(Configuration config, String rule) {
        return config.children(key(rule, "fields"), FIELD_LEAVES);
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
}
