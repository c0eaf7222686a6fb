package dev.cdc.generator;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A situation the source side can produce on demand (DESIGN section 8). Each is played once, right after the
 * snapshot, and its effect is part of the truth. Selected by id ({@code S1}) or name ({@code new-column}); the
 * groups {@code schema}, {@code xml} and {@code all} select several.
 */
public enum Scenario {
    S1("new-column", "CUSTOMERS gains LOYALTY_POINTS NUMBER(10); later customer changes carry it"),
    S2("missing-column", "CUSTOMERS.EMAIL disappears from schema and payloads; rows changed afterwards hold NULL"),
    S3("three-new-columns", "PRODUCTS gains WEIGHT_KG NUMBER(8,3), SUPPLIER VARCHAR2(100) and LAUNCHED_AT TIMESTAMP at once"),
    S4("type-change", "PRODUCTS.STOCK_QTY is written as a string (\"100\"); the value stays the number 100"),
    S5("nested-json", "CUSTOMERS gains ADDRESS, a struct {CITY, ZIP}: nested JSON"),
    S6("enrichment-new-column", "PRODUCTS gains BRAND; enriched orders carry it as items[].product_brand"),
    X1("xml-three-items", "an order whose SHIPPING_INFO lists 3 items"),
    X2("xml-empty-items", "an order whose SHIPPING_INFO has an empty <items/>"),
    X3("xml-malformed", "an order whose SHIPPING_INFO is not well-formed XML: the order lands, the XML goes to the DLQ"),
    X4("xml-missing-attributes", "an order whose items lack quantity or unit_price: NULL in those fields"),
    X5("xml-nested", "an order whose items sit in <packages><package><items>: every level extracted"),
    X6("xml-large", "an order with 150 items and one with a multi-MB document (25,000 items)"),
    X7("xml-null", "an order whose SHIPPING_INFO is NULL: nothing to extract, no error"),
    X8("xml-non-ascii", "a customer and an order with accents, CJK and emoji in text and XML"),
    F6("malformed-json", "three messages whose bodies are not Debezium envelopes: DLQ, the rest goes on"),
    F10("late-duplicates", "2% of messages re-sent later: duplicates and older SCNs after newer ones");

    private final String label;
    private final String description;

    Scenario(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Parses a comma-separated list of ids, names and groups. */
    public static Set<Scenario> parseList(String text) {
        Set<Scenario> out = EnumSet.noneOf(Scenario.class);
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            switch (p.toLowerCase(Locale.ROOT)) {
                case "all" -> out.addAll(EnumSet.allOf(Scenario.class));
                case "schema" -> out.addAll(EnumSet.range(S1, S6));
                case "xml" -> out.addAll(EnumSet.range(X1, X8));
                default -> out.add(parse(p));
            }
        }
        return out;
    }

    public static Scenario parse(String text) {
        for (Scenario s : values()) {
            if (s.name().equalsIgnoreCase(text) || s.label.equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario \"" + text + "\"; expected an id (S1-S6, X1-X8, F6, F10), "
                + "a name such as new-column, or a group: schema, xml, all");
    }
}
