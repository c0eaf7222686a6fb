package dev.cdc.generator.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.xml.MalformedXmlException;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.common.xml.XmlExtractor;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: for any document the simulator writes, the configured extraction returns exactly the rows the simulator
 * derives from its own model ({@link XmlDocument#rows}), whatever the shape. Seeded, so a failure replays.
 */
class XmlExtractionAgreesWithTheGeneratorTest {

    /** The SALES rules as configs/cdc.yaml carries them. */
    private static final String SALES_RULES = """
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
                  max-bytes: 16777216
                  fields:
                    address_type: {type: text, from: ["@type"]}
                    street: {type: text, from: ["@street", street]}
                    city: {type: text, from: ["@city", city]}
                    zip: {type: text, from: ["@zip", zip]}
            """;

    private static final int DOCUMENTS = 3_000;
    /** Markup characters, non-ASCII of every width, and spaces; no control characters (XML normalizes those). */
    private static final String[] PIECES = {"a", "Z", "7", " ", "  ", "<", ">", "&", "\"", "'", "]]>", "&amp;", "é", "ß",
            "東京", "🚀", "½", "—", "-", "/", "#"};

    private final XmlExtractor extractor = new XmlExtractor();
    private XmlExtraction orderItems;
    private XmlExtraction customerAddresses;

    @TempDir
    Path dir;

    @BeforeEach
    void loadRules() throws IOException {
        Configuration config = Configuration.load(Files.writeString(dir.resolve("cdc.yaml"), SALES_RULES), Map.of());
        config.validate(XmlExtractions.settings(config), List.of(XmlExtractions.SECTION));
        Map<String, XmlExtraction> rules = new java.util.HashMap<>();
        XmlExtractions.load(config).forEach(r -> rules.put(r.name(), r));
        orderItems = rules.get("order-items");
        customerAddresses = rules.get("customer-addresses");
    }

    @Test
    void shippingInfoOfEveryShapeYieldsTheGeneratorsRows() {
        Random random = new Random(20240611L);
        for (int n = 0; n < DOCUMENTS; n++) {
            ShippingInfo doc = new ShippingInfo(items(random), text(random, false), text(random, false),
                    random.nextInt(30), ShippingInfo.Shape.values()[n % ShippingInfo.Shape.values().length]);
            long orderId = random.nextLong(1, Long.MAX_VALUE);
            assertThat(extractor.extract(orderItems, orderId, doc.text())).as(doc.text()).isEqualTo(doc.rows(orderId));
        }
    }

    @Test
    void addressesAsAttributesOrElementsYieldTheGeneratorsRows() {
        Random random = new Random(20240612L);
        for (int n = 0; n < DOCUMENTS; n++) {
            List<Addresses.Address> list = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                list.add(new Addresses.Address(text(random, false), text(random, true), text(random, true), text(random, true)));
            }
            Addresses doc = new Addresses(list, n % 2 == 0);
            long customerId = random.nextLong(1, Long.MAX_VALUE);
            assertThat(extractor.extract(customerAddresses, customerId, doc.text())).as(doc.text()).isEqualTo(doc.rows(customerId));
        }
    }

    @Test
    void malformedDocumentsAreRefused() {
        Random random = new Random(20240613L);
        for (int n = 0; n < 200; n++) {
            String text = new ShippingInfo(items(random), "EXPRESS", "Main St", 1, ShippingInfo.Shape.ATTRIBUTES).text();
            // cut anywhere inside the root element: never well-formed
            XmlDocument doc = XmlDocument.malformed(text.substring(0, 1 + random.nextInt(text.length() - 1)));
            assertThat(doc.rows(1)).isEmpty();
            assertThatThrownBy(() -> extractor.extract(orderItems, 1L, doc.text())).as(doc.text())
                    .isInstanceOf(MalformedXmlException.class);
        }
    }

    private static List<ShippingInfo.Item> items(Random random) {
        List<ShippingInfo.Item> items = new ArrayList<>();
        for (int i = random.nextInt(8); i > 0; i--) {
            items.add(new ShippingInfo.Item(
                    maybe(random, r -> r.nextLong(Long.MIN_VALUE, Long.MAX_VALUE)),
                    maybe(random, r -> r.nextInt(-5, 100_000)),
                    // any scale the source can hold, kept as written
                    maybe(random, r -> BigDecimal.valueOf(r.nextLong(-10_000_000, 10_000_000), r.nextInt(0, 5)))));
        }
        return items;
    }

    /** Null about a fifth of the time. */
    private static <T> T maybe(Random random, Function<Random, T> value) {
        return random.nextInt(5) == 0 ? null : value.apply(random);
    }

    private static String text(Random random, boolean nullable) {
        if (nullable && random.nextInt(5) == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
