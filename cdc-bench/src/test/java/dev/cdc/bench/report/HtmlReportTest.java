package dev.cdc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page as text: where it goes, and that nothing a figure or a title holds can end a script or a tag early. */
class HtmlReportTest {

    @Test
    void theReportGoesBesideTheJsonWithTheSameName() {
        assertThat(HtmlReport.besides(Path.of("data/bench/ods-2026.json"))).isEqualTo(Path.of("data/bench/ods-2026.html"));
        assertThat(HtmlReport.besides(Path.of("report"))).isEqualTo(Path.of("report.html"));
    }

    @Test
    void textFromTheRunIsEscapedInTheMarkupAndInTheChartsScript() {
        String html = new HtmlReport("a <b>bold</b> title").context("x & y").figure("\"quoted\"", "1 < 2", true)
                .chart(Chart.bars("</script><script>alert(1)</script>", "note", "n", List.of("a"),
                        Map.of("s", List.of(1.0)))).html();

        assertThat(html).contains("<h1>a &lt;b&gt;bold&lt;/b&gt; title</h1>").contains("x &amp; y")
                .contains("&quot;quoted&quot;").contains("1 &lt; 2").doesNotContain("</script><script>alert(1)");
        assertThat(html).contains("<\\/script><script>alert(1)<\\/script>");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLevelAboveTheDataWidensTheAxisSoItIsDrawn() {
        Chart chart = Chart.bars("t", "n", "v", List.of("a"), Map.of("s", List.of(2_100.0)))
                .withLevel("raw", 7_000).withLevel("40% of raw", 2_800);

        assertThat((Map<String, Object>) chart.option().get("yAxis")).containsEntry("max", 7_700.0);
        assertThat(Chart.roundUp(7_701)).isEqualTo(7_800.0);
        assertThat(Chart.roundUp(0.123)).isEqualTo(0.13);
    }

    @Test
    void numbersThatAreNotFiniteBecomeGapsNotInvalidJson() {
        Chart chart = Chart.bars("t", "n", "v", List.of("a", "b"), Map.of("s", List.of(Double.NaN, 2.0)));

        assertThat(chart.option().get("series").toString()).contains("data=[-, 2.0]");
    }
}
