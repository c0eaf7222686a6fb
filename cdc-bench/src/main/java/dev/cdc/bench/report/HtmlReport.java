package dev.cdc.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark's report for people: one self-contained HTML file (Apache ECharts inlined, no network, opens from
 * disk or an attachment) with the verdicts first, then the charts. Written beside the JSON report, with the same
 * name and {@code .html}.
 *
 * <p>Once the charts are drawn, the page marks each chart element with {@code data-series} and {@code data-points}
 * (what ECharts holds) and the body with {@code data-charts}: what a headless browser's test reads.
 */
public final class HtmlReport {

    private static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String title;
    private final List<String> context = new ArrayList<>();
    private final List<String[]> verdicts = new ArrayList<>();
    private final List<Chart> charts = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    /** A line of context under the title: the workload, the machine, the run's settings. */
    public HtmlReport context(String line) {
        context.add(line);
        return this;
    }

    /** A figure in the summary table; {@code passed} null for a figure with no bar. */
    public HtmlReport figure(String what, String value, Boolean passed) {
        verdicts.add(new String[] {what, value, passed == null ? "" : passed ? "PASS" : "FAIL"});
        return this;
    }

    public HtmlReport chart(Chart chart) {
        charts.add(chart);
        return this;
    }

    /** Where the HTML report of the JSON report {@code json} goes: beside it, {@code .html} for {@code .json}. */
    public static Path besides(Path json) {
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(stem + ".html");
    }

    /** Writes the page beside {@code json}; its path. */
    public Path writeBesides(Path json) throws IOException {
        Path file = besides(json);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, html(), StandardCharsets.UTF_8);
        return file;
    }

    public String html() {
        StringBuilder h = new StringBuilder(1_100_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}\n")
                .append("h1{font-size:22px;margin-bottom:4px}.context{color:#555;margin:2px 0}\n")
                .append("table{border-collapse:collapse;margin:16px 0}td,th{padding:4px 12px;border-bottom:1px solid #ddd;text-align:left}\n")
                .append("td.PASS{color:#1a7f37;font-weight:bold}td.FAIL{color:#c23531;font-weight:bold}\n")
                .append(".chart{width:100%;height:380px;margin-top:8px}.note{color:#555;font-size:13px;margin:2px 0 24px}\n")
                .append("</style>\n<script>\n").append(echarts()).append("\n</script>\n</head>\n<body>\n<h1>")
                .append(escape(title)).append("</h1>\n");
        for (String line : context) {
            h.append("<p class=\"context\">").append(escape(line)).append("</p>\n");
        }
        if (!verdicts.isEmpty()) {
            h.append("<table class=\"figures\">\n<tr><th>figure</th><th>value</th><th>verdict</th></tr>\n");
            for (String[] v : verdicts) {
                h.append("<tr><td>").append(escape(v[0])).append("</td><td>").append(escape(v[1]))
                        .append("</td><td class=\"").append(v[2]).append("\">").append(v[2]).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        List<Object> options = new ArrayList<>();
        for (int i = 0; i < charts.size(); i++) {
            Chart c = charts.get(i);
            h.append("<div class=\"chart\" id=\"chart-").append(i).append("\" data-title=\"").append(escape(c.title()))
                    .append("\"></div>\n<p class=\"note\">").append(escape(c.note())).append("</p>\n");
            options.add(c.option());
        }
        h.append("<script type=\"application/json\" id=\"chart-options\">").append(json(options)).append("</script>\n")
                .append("<script>\n")
                .append("const options = JSON.parse(document.getElementById('chart-options').textContent);\n")
                .append("options.forEach((option, i) => {\n")
                .append("  const element = document.getElementById('chart-' + i);\n")
                .append("  const chart = echarts.init(element, null, {renderer: 'svg'});\n")
                .append("  chart.setOption(option);\n")
                .append("  const series = chart.getOption().series;\n")
                .append("  element.dataset.series = String(series.length);\n")
                .append("  element.dataset.points = String(series.reduce((n, s) => n + (s.data || []).length, 0));\n")
                .append("  window.addEventListener('resize', () => chart.resize());\n")
                .append("});\n")
                .append("document.body.dataset.charts = String(options.length);\n")
                .append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    /** JSON inside a script element: {@code </} would end the element, {@code <\/} is the same JSON string. */
    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a chart that is not JSON: " + e.getMessage(), e);
        }
    }

    private static String echarts() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IllegalStateException("ECharts is not on the class path (" + ECHARTS + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
