package dev.cdc.common.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.event.TableId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlExtractionsTest {

    /** The SALES rules, as configs/cdc.yaml carries them. */
    static final String SALES = """
            xml:
              extractions:
                order-items:
                  source: SALES.ORDERS
                  column: SHIPPING_INFO
                  repeating: /shipping_info//item
                  target: cdc_order_items_extracted
                  parent-key: order_id
                  on-malformed: dlq
                  max-bytes: 16777216
                  fields:
                    product_id: {type: integer, from: ["@product_id", product_id]}
                    quantity: {type: integer, from: ["@quantity", quantity]}
                    unit_price: {type: decimal, from: ["@unit_price", unit_price]}
                customer-addresses:
                  source: SALES.CUSTOMERS
                  column: ADDRESSES
                  repeating: /addresses/address
                  target: cdc_customer_addresses_extracted
                  parent-key: customer_id
                  on-malformed: dlq
                  fields:
                    address_type: {type: text, from: ["@type"]}
                    street: {type: text, from: ["@street", street]}
                    city: {type: text, from: ["@city", city]}
                    zip: {type: text, from: ["@zip", zip]}
            """;

    @TempDir
    Path dir;

    private Configuration yaml(String text) throws IOException {
        return Configuration.load(Files.writeString(dir.resolve("cdc.yaml"), text), Map.of());
    }

    @Test
    void theSalesRulesLoadByNameWithTheirFieldsByColumnName() throws IOException {
        Configuration config = yaml(SALES);
        config.validate(XmlExtractions.settings(config), List.of(XmlExtractions.SECTION));
        List<XmlExtraction> rules = XmlExtractions.load(config);
        assertThat(rules).extracting(XmlExtraction::name).containsExactly("customer-addresses", "order-items");
        assertThat(rules.get(1)).isEqualTo(XmlExtractorTest.ITEMS);
        // the configuration keeps no key order, so fields come sorted by column
        assertThat(rules.get(0)).isEqualTo(new XmlExtraction("customer-addresses", new TableId("SALES", "CUSTOMERS"),
                "ADDRESSES", "cdc_customer_addresses_extracted", "customer_id", "/addresses/address", List.of(
                        XmlField.of("address_type", FieldType.TEXT, "@type"),
                        XmlField.of("city", FieldType.TEXT, "@city", "city"),
                        XmlField.of("street", FieldType.TEXT, "@street", "street"),
                        XmlField.of("zip", FieldType.TEXT, "@zip", "zip"))));
    }

    @Test
    void defaultsAndCommaSeparatedSources() throws IOException {
        XmlExtraction rule = XmlExtractions.load(yaml("""
                xml.extractions.tags:
                  source: HR.EMPLOYEES
                  column: skills
                  repeating: //skill
                  target: cdc_employee_skills
                  parent-key: employee_id
                  on-malformed: skip
                  fields:
                    name: {from: "@name, name, ."}
                    level: {type: integer, from: level/@value}
                """)).get(0);
        assertThat(rule.column()).isEqualTo("SKILLS");
        assertThat(rule.onMalformed()).isEqualTo(MalformedPolicy.SKIP);
        assertThat(rule.maxBytes()).isEqualTo(XmlExtraction.DEFAULT_MAX_BYTES);
        assertThat(rule.fields()).containsExactly(XmlField.of("level", FieldType.INTEGER, "level/@value"),
                XmlField.of("name", FieldType.TEXT, "@name", "name", "."));
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsKey() throws IOException {
        Configuration config = yaml("""
                xml:
                  extractions:
                    broken:
                      source: ORDERS
                      column: SHIPPING INFO
                      repeating: shipping_info/item
                      target: Items
                      on-malformed: retry
                      max-bytes: lots
                      fields:
                        price: {type: money, from: ["@price"]}
                        qty: {from: ["@q/x"]}
                    fieldless:
                      source: SALES.ORDERS
                      column: SHIPPING_INFO
                      repeating: /a/b
                      target: t
                      parent-key: k
                """);
        assertThatThrownBy(() -> XmlExtractions.load(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("xml.extractions.broken.source: table \"ORDERS\" must be SCHEMA.TABLE"),
                        p -> assertThat(p).startsWith("xml.extractions.broken.column: column \"SHIPPING INFO\" must be a column name"),
                        p -> assertThat(p).startsWith("xml.extractions.broken.repeating: path \"shipping_info/item\" is not supported"),
                        p -> assertThat(p).startsWith("xml.extractions.broken.target: target \"Items\" must be a lower-case SQL name"),
                        p -> assertThat(p).startsWith("xml.extractions.broken.parent-key: required"),
                        p -> assertThat(p).startsWith("xml.extractions.broken.on-malformed: expected one of dlq, skip, fail"),
                        p -> assertThat(p).startsWith("xml.extractions.broken.max-bytes: expected an integer"),
                        p -> assertThat(p).startsWith("xml.extractions.broken.fields.price.type: expected one of integer, decimal, text, boolean"),
                        p -> assertThat(p).startsWith("xml.extractions.broken.fields.qty.from: \"@q/x\" is not a field source"),
                        p -> assertThat(p).startsWith("xml.extractions.fieldless.fields: at least one field is required")));
    }

    @Test
    void twoRulesCantShareATargetAndARuleNeedsItsKeys() throws IOException {
        Configuration config = yaml(SALES.replace("cdc_customer_addresses_extracted", "cdc_order_items_extracted")
                + "    stray:\n      fields:\n        x: {from: \"@x\"}\n");
        assertThatThrownBy(() -> XmlExtractions.load(config)).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(e.problems()).contains("xml.extractions.order-items.target: cdc_order_items_extracted is already the target of customer-addresses")
                        .anyMatch(p -> p.startsWith("xml.extractions.stray.source: required")));
    }

    @Test
    void unknownKeysAreTyposCaughtByValidate() throws IOException {
        Configuration config = yaml(SALES
                .replace("parent-key: customer_id", "parent_key: customer_id")
                .replace("{type: integer, from: [\"@quantity\", quantity]}", "{type: integer, form: [\"@quantity\", quantity]}"));
        assertThatThrownBy(() -> config.validate(XmlExtractions.settings(config), List.of(XmlExtractions.SECTION)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
                        "xml.extractions.customer-addresses.parent-key: required (target column holding the parent row's key, in customer-addresses)")
                        .anyMatch(p -> p.startsWith("xml.extractions.customer-addresses.parent_key: unknown setting"))
                        .anyMatch(p -> p.startsWith("xml.extractions.order-items.fields.quantity.form: unknown setting"))
                        .anyMatch(p -> p.startsWith("xml.extractions.order-items.fields.quantity.from: required")));
    }

    @Test
    void noRulesIsNoRules() {
        assertThat(XmlExtractions.load(Configuration.empty())).isEmpty();
        assertThat(XmlExtractions.settings(Configuration.empty())).isEmpty();
    }
}
