package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.bench.report.HeadlessChromium;
import dev.cdc.bench.report.HeadlessChromium.DrawnChart;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./cdc bench} as a user runs it, briefly: it prints where its HTML report is, and that report opens in a
 * real headless browser with every chart drawn.
 */
class BenchReportsIT {

    private static final Pattern CHARTS = Pattern.compile("charts: (\\S+\\.html)");

    @TempDir
    Path dir;

    @Test
    void theOdsBenchmarksReportOpensWithItsCharts() throws Exception {
        String out = bench("ods", "--events", "1000", "--rounds", "1", "--out", dir.resolve("ods.json").toString());

        List<DrawnChart> charts = HeadlessChromium.charts(open(out));

        assertThat(charts).extracting(DrawnChart::title).containsExactly("Events per second by mode, every round",
                "What 1,000 events cost, by stage");
        assertThat(charts).extracting(DrawnChart::points).containsExactly(5, 5);
        assertThat(charts.get(0).text()).contains("WRITER_STATE", "round 1", "bar: 70% of raw");
    }

    @Test
    void theBrokerBenchmarksReportOpensWithItsCharts() throws Exception {
        String out = bench("broker", "--messages", "2000", "--rounds", "2", "--out", dir.resolve("broker.json").toString());

        List<DrawnChart> charts = HeadlessChromium.charts(open(out));

        assertThat(charts).extracting(DrawnChart::title).containsExactly("Messages per second, every round",
                "Adapter over raw, every round and the medians", "CPU per message, by thread (medians)");
        assertThat(charts).extracting(DrawnChart::series).containsExactly(2, 3, 3);
        assertThat(charts.get(0).points()).isEqualTo(2 * 4);
        assertThat(charts.get(1).text()).contains("round 2 (adapter first)", "median", "bar 0.80");
    }

    private Document open(String benchOutput) throws Exception {
        Matcher m = CHARTS.matcher(benchOutput);
        assertThat(m.find()).as("the path of the HTML report in:\n" + benchOutput).isTrue();
        Path page = Path.of(m.group(1));
        assertThat(page).exists();
        Document dom = HeadlessChromium.render(page, dir.resolve("profile"));
        assertThat(HeadlessChromium.charts(dom)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.shapes()).as(c.title()).isGreaterThan(10));
        return dom;
    }

    /** Runs {@code ./cdc bench ARGS} in this JVM from the repository's root; what it printed. */
    private static String bench(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "bench";
        System.arraycopy(args, 0, command, 1, args.length);
        FromRepository.Run run = FromRepository.cdc(command);
        // a brief run may miss a bar on a busy machine (exit 1); an error is 2 or more
        assertThat(run.code()).as(run.out() + "\n" + run.err()).isIn(0, 1);
        return run.out();
    }
}
