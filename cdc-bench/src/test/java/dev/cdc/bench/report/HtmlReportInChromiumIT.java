package dev.cdc.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.bench.report.HeadlessChromium.DrawnChart;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of chart the reports use, drawn by a real browser from the file alone (no network). */
class HtmlReportInChromiumIT {

    @TempDir
    Path dir;

    @Test
    void everyKindOfChartIsDrawnFromTheFileAlone() throws Exception {
        Map<String, List<double[]>> lag = new LinkedHashMap<>();
        lag.put("1,000/s: bounded", List.of(new double[] {0, 0}, new double[] {1, 40}, new double[] {2, 35}));
        lag.put("2,000/s: growing", List.of(new double[] {0, 0}, new double[] {1, 400}, new double[] {2, 900}));
        Map<String, List<Double>> stages = new LinkedHashMap<>();
        stages.put("apply", List.of(120.0, 180.0));
        stages.put("driver", List.of(20.0, Double.NaN));
        HtmlReport report = new HtmlReport("A </script> report").figure("ratio", "0.93 (bar 0.80)", true)
                .chart(Chart.lines("Lag", "note", "seconds", "messages", lag))
                .chart(Chart.bars("Stages", "note", "ms", List.of("1,000/s", "2,000/s"), stages).stacked()
                        .withLevel("bar", 150))
                .chart(Chart.bars("Latency", "note", "ms", List.of("p50", "p99"), Map.of("ms", List.of(12.0, 950.0)))
                        .logarithmic());
        Path page = report.writeBesides(dir.resolve("bench.json"));

        Document dom = HeadlessChromium.render(page, dir.resolve("profile"));

        List<DrawnChart> charts = HeadlessChromium.charts(dom);
        assertThat(charts).extracting(DrawnChart::title).containsExactly("Lag", "Stages", "Latency");
        assertThat(charts).extracting(DrawnChart::series).containsExactly(2, 2, 1);
        assertThat(charts).extracting(DrawnChart::points).containsExactly(6, 4, 2);
        assertThat(charts).allSatisfy(c -> assertThat(c.shapes()).as(c.title()).isGreaterThan(10));
        assertThat(charts.get(0).text()).contains("Lag", "1,000/s: bounded", "2,000/s: growing", "messages");
        assertThat(charts.get(1).text()).contains("bar");
        assertThat(dom.title()).isEqualTo("A </script> report");
        assertThat(dom.select("td.PASS").text()).isEqualTo("PASS");
        assertThat(dom.select("script[src], link[href], img[src]")).as("nothing loaded from elsewhere").isEmpty();
    }
}
