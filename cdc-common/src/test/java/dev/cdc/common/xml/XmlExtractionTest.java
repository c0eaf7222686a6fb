package dev.cdc.common.xml;

import static dev.cdc.common.xml.FieldType.INTEGER;
import static dev.cdc.common.xml.FieldType.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.event.TableId;
import java.util.List;
import org.junit.jupiter.api.Test;

class XmlExtractionTest {

    private static final TableId ORDERS = new TableId("SALES", "ORDERS");

    private static XmlExtraction rule(String target, String parentKey, String path, XmlField... fields) {
        return new XmlExtraction("r", ORDERS, "shipping_info", target, parentKey, path, List.of(fields));
    }

    @Test
    void theColumnIsAnOracleNameInUpperCaseAndDefaultsAreDlqAndSixteenMegabytes() {
        XmlExtraction rule = rule("t", "order_id", "/a/b", XmlField.of("x", TEXT, "@x"));
        assertThat(rule.column()).isEqualTo("SHIPPING_INFO");
        assertThat(rule.onMalformed()).isEqualTo(MalformedPolicy.DLQ);
        assertThat(rule.maxBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(rule.targetColumns()).containsExactly("order_id", "line_no", "x");
    }

    @Test
    void everyProblemOfARuleIsReportedTogether() {
        assertThatThrownBy(() -> rule("Bad-Table", "line_no", "shipping_info/item",
                XmlField.of("x", TEXT, "@x"), XmlField.of("x", INTEGER, "x"), XmlField.of("line_no", TEXT, "n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("xml extraction r: target \"Bad-Table\" must be a lower-case SQL name matching [a-z_][a-z0-9_]{0,62}")
                .hasMessageContaining("path \"shipping_info/item\" is not supported: it must start with / or //")
                .hasMessageContaining("field x is declared twice")
                .hasMessageContaining("field line_no would overwrite the line number column")
                .hasMessageContaining("parent key may not be line_no");
        assertThatThrownBy(() -> rule("t", "order_id", "/a", XmlField.of("order_id", TEXT, "@x")))
                .hasMessageContaining("field order_id would overwrite the parent key column");
        assertThatThrownBy(() -> rule("t", "order_id", "/a"))
                .hasMessageContaining("at least one field is required");
    }

    @Test
    void pathsOutsideTheSubsetAreRefusedWithTheAcceptedForm() {
        for (String path : List.of("/", "//", "/a/", "/a///b", "/a[1]", "/a/*", "/ns:a", "/a/@b", "a")) {
            assertThatThrownBy(() -> RepeatingPath.parse(path)).as(path).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("e.g. /shipping_info//item");
        }
        assertThat(RepeatingPath.parse("//a/b-c//d.e").steps()).containsExactly(new RepeatingPath.Step("a", true),
                new RepeatingPath.Step("b-c", false), new RepeatingPath.Step("d.e", true));
    }

    @Test
    void fieldSourcesAreAttributesChildrenDeeperChildrenOrTheElementItself() {
        assertThat(FieldSource.parse("@a")).isEqualTo(new FieldSource(List.of(), "a"));
        assertThat(FieldSource.parse("a/b")).isEqualTo(new FieldSource(List.of("a", "b"), null));
        assertThat(FieldSource.parse("a/@b")).isEqualTo(new FieldSource(List.of("a"), "b"));
        assertThat(FieldSource.parse(".")).isEqualTo(new FieldSource(List.of(), null));
        for (String bad : List.of("", "@", "/a", "a//b", "@a/b", "a/", "a b", "ns:a")) {
            assertThatThrownBy(() -> XmlField.of("x", TEXT, bad)).as(bad)
                    .hasMessageStartingWith("field x: \"" + bad + "\" is not a field source");
        }
        assertThatThrownBy(() -> XmlField.of("Price", TEXT, "@p")).hasMessageContaining("field column \"Price\" must be a lower-case SQL name");
        assertThatThrownBy(() -> XmlField.of("p", TEXT)).hasMessageContaining("field p: from needs at least one source");
    }

    @Test
    void typesConvertExactly() {
        assertThat(FieldType.DECIMAL.convert(" 49.90 ")).isEqualTo(new java.math.BigDecimal("49.90"));
        assertThat(FieldType.INTEGER.convert("\n 42\t")).isEqualTo(42L);
        assertThat(FieldType.INTEGER.convert(" ")).isNull();
        assertThat(FieldType.TEXT.convert(" ")).isEqualTo(" ");
        assertThat(FieldType.BOOLEAN.convert("False")).isEqualTo(false);
        assertThatThrownBy(() -> FieldType.BOOLEAN.convert("yes")).hasMessage("expected true, false, 1 or 0");
        assertThatThrownBy(() -> FieldType.INTEGER.convert("1.0")).hasMessage("expected an integer (64-bit)");
    }
}
