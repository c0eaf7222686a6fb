package dev.cdc.common.xml;

import static dev.cdc.common.xml.FieldType.BOOLEAN;
import static dev.cdc.common.xml.FieldType.DECIMAL;
import static dev.cdc.common.xml.FieldType.INTEGER;
import static dev.cdc.common.xml.FieldType.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cdc.common.event.TableId;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class XmlExtractorTest {

    static final XmlExtraction ITEMS = new XmlExtraction("order-items", new TableId("SALES", "ORDERS"), "SHIPPING_INFO",
            "cdc_order_items_extracted", "order_id", "/shipping_info//item", List.of(
                    XmlField.of("product_id", INTEGER, "@product_id", "product_id"),
                    XmlField.of("quantity", INTEGER, "@quantity", "quantity"),
                    XmlField.of("unit_price", DECIMAL, "@unit_price", "unit_price")));

    static final XmlExtraction ADDRESSES = new XmlExtraction("customer-addresses", new TableId("SALES", "CUSTOMERS"),
            "ADDRESSES", "cdc_customer_addresses_extracted", "customer_id", "/addresses/address", List.of(
                    XmlField.of("address_type", TEXT, "@type"),
                    XmlField.of("street", TEXT, "@street", "street"),
                    XmlField.of("city", TEXT, "@city", "city"),
                    XmlField.of("zip", TEXT, "@zip", "zip")));

    private final XmlExtractor extractor = new XmlExtractor();

    @TempDir
    Path dir;

    static Map<String, Object> item(long order, long line, Long product, Long quantity, String price) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("order_id", order);
        row.put("line_no", line);
        row.put("product_id", product);
        row.put("quantity", quantity);
        row.put("unit_price", price == null ? null : new BigDecimal(price));
        return row;
    }

    static Map<String, Object> address(long customer, long line, String type, String street, String city, String zip) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("customer_id", customer);
        row.put("line_no", line);
        row.put("address_type", type);
        row.put("street", street);
        row.put("city", city);
        row.put("zip", zip);
        return row;
    }

    @Test
    void x1_attributeShapedItemsBecomeOneRowEachInDocumentOrder() {
        List<Map<String, Object>> rows = extractor.extract(ITEMS, 7L, """
                <shipping_info>
                  <items><item product_id="101" quantity="2" unit_price="49.90"/><item product_id="102" quantity="1" unit_price="5"/>
                    <item product_id="103" quantity="10" unit_price="0.01"/></items>
                  <shipping><method>EXPRESS</method><address>Main St 1</address><estimated_days>3</estimated_days></shipping>
                </shipping_info>""");
        assertThat(rows).containsExactly(item(7, 1, 101L, 2L, "49.90"), item(7, 2, 102L, 1L, "5"), item(7, 3, 103L, 10L, "0.01"));
        assertThat(rows.get(0).keySet()).containsExactly("order_id", "line_no", "product_id", "quantity", "unit_price");
        assertThat(((BigDecimal) rows.get(0).get("unit_price")).scale()).isEqualTo(2);
    }

    @Test
    void elementShapedItemsGiveTheSameRows() {
        List<Map<String, Object>> rows = extractor.extract(ITEMS, 7L, """
                <shipping_info>
                  <items>
                    <item>
                      <product_id>101</product_id>
                      <quantity> 2 </quantity>
                      <unit_price>49.90</unit_price>
                    </item>
                    <item><product_id>102</product_id><quantity>1</quantity><unit_price>5</unit_price></item>
                  </items>
                </shipping_info>""");
        assertThat(rows).containsExactly(item(7, 1, 101L, 2L, "49.90"), item(7, 2, 102L, 1L, "5"));
    }

    @Test
    void x5_nestedPackagesAreExtractedAtEveryLevelWithLineNumbersAcrossThem() {
        String document = """
                <shipping_info><packages>
                  <package id="PKG-1"><items><item product_id="1" quantity="1" unit_price="1.10"/><item product_id="2" quantity="2" unit_price="2.20"/></items></package>
                  <package id="PKG-2"><items><item product_id="3" quantity="3" unit_price="3.30"/></items></package>
                </packages><items><item product_id="4" quantity="4" unit_price="4.40"/></items>
                <shipping><method>FREIGHT</method></shipping></shipping_info>""";
        assertThat(extractor.extract(ITEMS, 1L, document)).containsExactly(item(1, 1, 1L, 1L, "1.10"),
                item(1, 2, 2L, 2L, "2.20"), item(1, 3, 3L, 3L, "3.30"), item(1, 4, 4L, 4L, "4.40"));
        assertThat(extractor.extract(withPath(ITEMS, "/shipping_info/items/item"), 1L, document))
                .containsExactly(item(1, 1, 4L, 4L, "4.40"));
        assertThat(extractor.extract(withPath(ITEMS, "//item"), 1L, document)).hasSize(4);
        assertThat(extractor.extract(withPath(ITEMS, "/item"), 1L, document)).isEmpty();
        assertThat(extractor.extract(withPath(ITEMS, "//packages//items/item"), 1L, document)).hasSize(3);
    }

    @Test
    void anElementMatchingInsideARepeatingElementBelongsToIt() {
        XmlExtraction rule = new XmlExtraction("n", new TableId("S", "T"), "C", "t", "k", "//item",
                List.of(XmlField.of("id", INTEGER, "@id"), XmlField.of("inner", INTEGER, "item/@id")));
        assertThat(extractor.extract(rule, 1L, "<r><item id='1'><item id='2'/></item><item id='3'/></r>"))
                .extracting(r -> r.get("id"), r -> r.get("inner"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 2L), org.assertj.core.groups.Tuple.tuple(3L, null));
    }

    @Test
    void x2_emptyItemsHaveNoRows() {
        assertThat(extractor.extract(ITEMS, 1L, "<shipping_info><items/><shipping><method>X</method></shipping></shipping_info>")).isEmpty();
    }

    @Test
    void x7_aNullOrBlankDocumentHasNoRows() {
        assertThat(extractor.extract(ITEMS, 1L, null)).isEmpty();
        assertThat(extractor.extract(ITEMS, 1L, "  \n")).isEmpty();
    }

    @Test
    void x4_missingAttributesAreNull() {
        assertThat(extractor.extract(ITEMS, 3L, """
                <shipping_info><items><item product_id="1" unit_price="5.00"/><item quantity="4"/><item/></items></shipping_info>"""))
                .containsExactly(item(3, 1, 1L, null, "5.00"), item(3, 2, null, 4L, null), item(3, 3, null, null, null));
    }

    @Test
    void theFirstSourcePresentWinsAndTheFirstOccurrenceOfAChild() {
        assertThat(extractor.extract(ITEMS, 3L, """
                <shipping_info><items>
                  <item product_id="1"><product_id>9</product_id><quantity>2</quantity><quantity>3</quantity></item>
                </items></shipping_info>"""))
                .containsExactly(item(3, 1, 1L, 2L, null));
    }

    @Test
    void deeperChildrenTheirAttributesAndTheElementsOwnText() {
        XmlExtraction rule = new XmlExtraction("d", new TableId("S", "T"), "C", "t", "k", "/r/e", List.of(
                XmlField.of("city", TEXT, "address/city"),
                XmlField.of("kind", TEXT, "address/@kind"),
                XmlField.of("own", TEXT, "."),
                XmlField.of("flag", BOOLEAN, "@flag")));
        assertThat(extractor.extract(rule, 1L, """
                <r><e flag="TRUE"><address kind="home"><city>Bern</city></address></e><e flag="0">plain text</e><e flag=""/></r>"""))
                .extracting(r -> Arrays.asList(r.get("city"), r.get("kind"), r.get("own"), r.get("flag")))
                .containsExactly(Arrays.asList("Bern", "home", null, true), Arrays.asList(null, null, "plain text", false),
                        Arrays.asList(null, null, "", null));
    }

    @Test
    void textIsKeptExactlyButWhitespaceBetweenElementsIsNoValue() {
        XmlExtraction rule = new XmlExtraction("w", new TableId("S", "T"), "C", "t", "k", "/r/e",
                List.of(XmlField.of("a", TEXT, "a"), XmlField.of("b", TEXT, "b", "c")));
        assertThat(extractor.extract(rule, 1L, "<r><e><a>  x  y </a><b>\n  <nested/>\n</b><c>fallback</c></e><e><a></a><b> </b></e></r>"))
                .extracting(r -> r.get("a"), r -> r.get("b"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("  x  y ", "fallback"), org.assertj.core.groups.Tuple.tuple("", " "));
    }

    @Test
    void namesMatchLocalNamesWhateverTheNamespace() {
        assertThat(extractor.extract(ITEMS, 2L, """
                <s:shipping_info xmlns:s="urn:shipping"><s:items><s:item s:product_id="5" quantity="1"><s:unit_price>1.5</s:unit_price></s:item></s:items></s:shipping_info>"""))
                .containsExactly(item(2, 1, 5L, 1L, "1.5"));
    }

    @Test
    void x3_malformedXmlIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> extractor.extract(ITEMS, 1L,
                "<shipping_info><items><item product_id=\"1001\" quantity=\"2\"></items></shipping_info"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageStartingWith("not well-formed XML at line 1, column");
        assertThatThrownBy(() -> extractor.extract(ITEMS, 1L, "not xml at all")).isInstanceOf(MalformedXmlException.class);
        assertThatThrownBy(() -> extractor.extract(ITEMS, 1L, "<a/><b/>")).isInstanceOf(MalformedXmlException.class);
    }

    @Test
    void xxeIsRefusedAndTheFileNeverRead() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        String uri = secret.toUri().toString();
        List<String> attacks = List.of(
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><shipping_info><items><item product_id=\"&e;\"/></items></shipping_info>",
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"" + uri + "\">]><shipping_info><items><item><product_id>&e;</product_id></item></items></shipping_info>",
                "<!DOCTYPE x [<!ENTITY % p SYSTEM \"" + uri + "\"> %p;]><shipping_info/>",
                "<!DOCTYPE shipping_info SYSTEM \"" + uri + "\"><shipping_info/>",
                "<shipping_info><items><item><product_id>&e;</product_id></item></items></shipping_info>");
        for (String attack : attacks) {
            MalformedXmlException e = catchThrowableOfType(MalformedXmlException.class, () -> extractor.extract(ITEMS, 1L, attack));
            assertThat(e).as(attack).isNotNull();
            assertThat(e.getMessage()).doesNotContain("TOP-SECRET", "root:");
        }
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            doc.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        doc.append("]><shipping_info><items><item><product_id>&lol9;</product_id></item></items></shipping_info>");
        assertThatThrownBy(() -> extractor.extract(ITEMS, 1L, doc.toString()))
                .isInstanceOf(MalformedXmlException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void aDocumentLargerThanTheLimitInUtf8BytesIsRefusedBeforeParsing() {
        XmlExtraction small = new XmlExtraction("s", new TableId("S", "T"), "C", "t", "k", "/r/e",
                List.of(XmlField.of("v", TEXT, ".")), MalformedPolicy.DLQ, 30);
        String ascii = "<r><e>" + "x".repeat(16) + "</e></r>"; // exactly 30 bytes
        assertThat(extractor.extract(small, 1L, ascii)).hasSize(1);
        assertThatThrownBy(() -> extractor.extract(small, 1L, ascii.replace("xx", "xxx")))
                .isInstanceOf(MalformedXmlException.class).hasMessage("document is larger than the limit of 30 UTF-8 bytes");
        // 21 characters but 33 bytes: the limit counts bytes, and is checked before parsing (the trailing < is not reached)
        assertThatThrownBy(() -> extractor.extract(small, 1L, "<r><e>" + "€".repeat(6) + "</e></r><"))
                .hasMessageContaining("larger than the limit");
        assertThat(XmlExtractor.exceeds("😀", 4)).isFalse();
        assertThat(XmlExtractor.exceeds("😀", 3)).isTrue();
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        XmlExtraction rule = withPath(ITEMS, "//item");
        String ok = "<a>".repeat(XmlExtractor.MAX_DEPTH - 1) + "<item product_id=\"1\"/>" + "</a>".repeat(XmlExtractor.MAX_DEPTH - 1);
        assertThat(extractor.extract(rule, 1L, ok)).hasSize(1);
        assertThatThrownBy(() -> extractor.extract(rule, 1L, "<a>" + ok + "</a>"))
                .isInstanceOf(MalformedXmlException.class).hasMessage("elements are nested deeper than 256 levels");
    }

    @Test
    void aValueItsTypeCantTakeIsRefusedNamingFieldLineAndText() {
        assertThatThrownBy(() -> extractor.extract(ITEMS, 1L,
                "<shipping_info><items><item product_id=\"1\"/><item product_id=\"1\" quantity=\"two\"/></items></shipping_info>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage("field quantity of line_no 2: expected an integer (64-bit), was \"two\"");
        assertThatThrownBy(() -> extractor.extract(ITEMS, 1L, "<shipping_info><item unit_price=\"1,5\"/></shipping_info>"))
                .hasMessage("field unit_price of line_no 1: expected a decimal number, was \"1,5\"");
        assertThatThrownBy(() -> extractor.extract(ITEMS, 1L, "<shipping_info><item product_id=\"99999999999999999999\"/></shipping_info>"))
                .hasMessageContaining("field product_id of line_no 1");
    }

    @Test
    void x8_nonAsciiTextStaysIntact() {
        List<Map<String, Object>> rows = extractor.extract(ADDRESSES, 4L, """
                <?xml version="1.0" encoding="ISO-8859-1"?>
                <addresses>
                  <address type="billing"><street>Bahnhofstraße 7 ½</street><city>Zürich</city><zip>8001</zip></address>
                  <address type="shipping" street="千代田区丸の内1-1 🏢" city="東京" zip="100-0005"/>
                  <address type="home"><street><![CDATA[Rua São João, nº 5 — apto 🏠 <5>]]></street><city>S&#xE3;o Paulo &amp; co</city></address>
                </addresses>""");
        assertThat(rows).containsExactly(address(4, 1, "billing", "Bahnhofstraße 7 ½", "Zürich", "8001"),
                address(4, 2, "shipping", "千代田区丸の内1-1 🏢", "東京", "100-0005"),
                address(4, 3, "home", "Rua São João, nº 5 — apto 🏠 <5>", "São Paulo & co", null));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void x6_twentyFiveThousandItemsInAMultiMegabyteDocumentAreAllExtracted() {
        StringBuilder doc = new StringBuilder("<shipping_info><items>");
        for (int i = 1; i <= 25_000; i++) {
            doc.append("<item>\n  <product_id>").append(i).append("</product_id>\n  <quantity>").append(i % 7)
                    .append("</quantity>\n  <unit_price>").append(i).append(".50</unit_price>\n  <note>")
                    .append("padding to make the document several megabytes ".repeat(2)).append("</note>\n</item>\n");
        }
        String document = doc.append("</items></shipping_info>").toString();
        assertThat(document.length()).isGreaterThan(3_000_000);
        List<Map<String, Object>> rows = extractor.extract(ITEMS, 9L, document);
        assertThat(rows).hasSize(25_000);
        assertThat(rows.get(24_999)).isEqualTo(item(9, 25_000, 25_000L, (long) (25_000 % 7), "25000.50"));
    }

    @Test
    void oneExtractorServesManyThreads() {
        List<List<Map<String, Object>>> expected = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (int n = 0; n < 64; n++) {
            StringBuilder doc = new StringBuilder("<shipping_info><items>");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                doc.append("<item product_id=\"").append(n * 1000 + i).append("\" quantity=\"").append(i).append("\"/>");
                rows.add(item(n, i, (long) n * 1000 + i, (long) i, null));
            }
            documents.add(doc.append("</items></shipping_info>").toString());
            expected.add(rows);
        }
        IntStream.range(0, 2_000).parallel().forEach(i ->
                assertThat(extractor.extract(ITEMS, (long) (i % 64), documents.get(i % 64))).isEqualTo(expected.get(i % 64)));
    }

    static XmlExtraction withPath(XmlExtraction rule, String path) {
        return new XmlExtraction(rule.name(), rule.source(), rule.column(), rule.target(), rule.parentKey(), path,
                rule.fields(), rule.onMalformed(), rule.maxBytes());
    }
}
