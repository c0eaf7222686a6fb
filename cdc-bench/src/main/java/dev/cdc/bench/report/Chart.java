package dev.cdc.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chart of a report: an Apache ECharts option (the library draws it; nothing here draws), built from a few
 * shapes the benchmarks need. Values that are not finite numbers (a ratio over nothing) become gaps.
 *
 * @param title what the chart shows, as a sentence's subject
 * @param note one line under it: how to read it, or what the bar is
 * @param option the ECharts option, JSON-ready maps and lists
 */
public record Chart(String title, String note, Map<String, Object> option) {

    /** Named values drawn as bars over {@code categories}, one bar per series in each category. */
    public static Chart bars(String title, String note, String valueAxis, List<String> categories,
                             Map<String, List<Double>> series) {
        List<Object> drawn = new ArrayList<>();
        series.forEach((name, values) -> drawn.add(series(name, "bar", values.stream().map(Chart::finite).toList())));
        Map<String, Object> option = base(title);
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("xAxis", Map.of("type", "category", "data", categories, "axisLabel", Map.of("interval", 0)));
        option.put("yAxis", axis("value", valueAxis, 55));
        option.put("series", drawn);
        return new Chart(title, note, option);
    }

    /** Lines through (x, y) points, one line per series. */
    public static Chart lines(String title, String note, String xAxis, String yAxis, Map<String, List<double[]>> series) {
        List<Object> drawn = new ArrayList<>();
        series.forEach((name, points) -> {
            Map<String, Object> s = series(name, "line", points.stream()
                    .map(p -> List.of(finite(p[0]), finite(p[1]))).toList());
            s.put("showSymbol", points.size() < 60);
            drawn.add(s);
        });
        Map<String, Object> option = base(title);
        option.put("tooltip", Map.of("trigger", "axis"));
        option.put("xAxis", axis("value", xAxis, 30));
        option.put("yAxis", axis("value", yAxis, 55));
        option.put("series", drawn);
        return new Chart(title, note, option);
    }

    /** The same chart with its series stacked (parts of one whole, such as a batch's stages). */
    @SuppressWarnings("unchecked")
    public Chart stacked() {
        for (Object s : (List<Object>) option.get("series")) {
            ((Map<String, Object>) s).put("stack", "total");
        }
        return this;
    }

    /** The same chart with a labelled horizontal line at {@code y} (a bar to reach or to stay under). */
    @SuppressWarnings("unchecked")
    public Chart withLevel(String label, double y) {
        List<Object> series = (List<Object>) option.get("series");
        if (!series.isEmpty() && Double.isFinite(y)) {
            Map<String, Object> first = (Map<String, Object>) series.get(0);
            Map<String, Object> markLine = (Map<String, Object>) first.computeIfAbsent("markLine",
                    k -> new LinkedHashMap<>(Map.of("symbol", "none", "data", new ArrayList<>())));
            ((List<Object>) markLine.get("data")).add(Map.of("yAxis", y, "name", label,
                    "label", Map.of("formatter", label, "position", "insideEndTop"),
                    "lineStyle", Map.of("type", "dashed", "color", "#c23531")));
            // ECharts scales the axis to the data alone; a level above it would not be drawn
            double top = series.stream().flatMap(x -> ((List<Object>) ((Map<String, Object>) x).get("data")).stream())
                    .mapToDouble(Chart::yOf).filter(Double::isFinite).max().orElse(0);
            Map<String, Object> yAxis = (Map<String, Object>) option.get("yAxis");
            double max = yAxis.get("max") instanceof Number n ? n.doubleValue() : 0;
            if (y > top && y * 1.1 > max) {
                yAxis.put("max", roundUp(y * 1.1));
            }
        }
        return this;
    }

    /** A point's y: a bar's value, or the second of a line's (x, y). */
    private static double yOf(Object point) {
        Object y = point instanceof List<?> xy ? xy.get(1) : point;
        return y instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Up to two significant digits, so the axis ends on a round number. */
    static double roundUp(double v) {
        if (v <= 0) {
            return v;
        }
        double scale = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return Math.ceil(v / scale - 1e-9) * scale; // 7,000 × 1.1 is 7,700.000000000001
    }

    /** The same chart on a logarithmic value axis (latencies spanning milliseconds to seconds). */
    @SuppressWarnings("unchecked")
    public Chart logarithmic() {
        ((Map<String, Object>) option.get("yAxis")).put("type", "log");
        return this;
    }

    /** Where each point's y may be 0 on a log axis, ECharts needs a gap instead. */
    private static Object finite(double v) {
        return Double.isFinite(v) ? v : "-";
    }

    private static Map<String, Object> base(String title) {
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("animation", false); // the page is complete once drawn: printing, screenshots, the browser test
        option.put("title", Map.of("text", title, "textStyle", Map.of("fontSize", 14)));
        option.put("legend", Map.of("top", 24, "type", "scroll"));
        option.put("grid", Map.of("top", 70, "left", 80, "right", 40, "bottom", 50));
        option.put("toolbox", Map.of("feature", Map.of("saveAsImage", Map.of(), "dataView", Map.of("readOnly", true))));
        return option;
    }

    private static Map<String, Object> axis(String type, String name, int gap) {
        Map<String, Object> axis = new LinkedHashMap<>();
        axis.put("type", type);
        axis.put("name", name);
        axis.put("nameLocation", "middle");
        axis.put("nameGap", gap);
        axis.put("scale", false);
        return axis;
    }

    private static Map<String, Object> series(String name, String type, List<?> data) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("type", type);
        s.put("data", data);
        return s;
    }
}
