package dev.cdc.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.bench.report.HeadlessChromium;
import dev.cdc.bench.report.HeadlessChromium.DrawnChart;
import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline benchmark's report in a real headless browser, from a result shaped as a run gives it (a full run
 * takes minutes: {@code ./cdc bench pipeline}): every rate step's lag, the latencies, the raw baseline and, for
 * Spark, the batch stages.
 */
class PipelineReportPageIT {

    @TempDir
    Path dir;

    @Test
    void sparksReportDrawsTheLagOfEveryStepTheLatenciesTheBaselineAndTheStages() throws Exception {
        List<DrawnChart> charts = HeadlessChromium.charts(render(ConsumerProcess.parse("spark"), true));

        assertThat(charts).extracting(DrawnChart::title).containsExactly("Queue lag during each rate step",
                "Change latency at 5,000 events/min", "Change latency histogram",
                "The pipeline next to the raw broker round trip", "Where a micro-batch's time went, by rate");
        assertThat(charts.get(0).series()).isEqualTo(2);
        assertThat(charts.get(0).points()).isEqualTo(2 * 21);
        assertThat(charts.get(0).text()).contains("1,000/s: bounded", "2,000/s: growing");
        assertThat(charts.get(1).text()).contains("bar: p99 under 2000 ms");
        assertThat(charts.get(3).text()).contains("raw round trip 7,000/s", "bar: 40% of raw");
        assertThat(charts.get(4).series()).isEqualTo(3);
        assertThat(charts).allSatisfy(c -> assertThat(c.shapes()).as(c.title()).isGreaterThan(10));
    }

    @Test
    void flinksReportSaysItHasNoStagesInsteadOfAnEmptyChart() throws Exception {
        Document page = render(ConsumerProcess.parse("flink"), false);

        assertThat(HeadlessChromium.charts(page)).hasSize(4).allSatisfy(c -> assertThat(c.points()).isPositive());
        assertThat(page.select("p.context").text()).contains("does not split its work into timed stages");
        assertThat(page.select("td.FAIL").text()).contains("FAIL");
    }

    private Document render(ConsumerProcess architecture, boolean stages) throws Exception {
        Histogram latencies = ChangeLatency.histogram();
        for (int i = 1; i <= 2_000; i++) {
            latencies.recordValue(100 + i % 700);
        }
        latencies.recordValue(1_900);
        List<PipelineBenchmark.Step> steps = List.of(step(1_000, true, stages), step(2_000, false, stages));
        PipelineBenchmark.Result result = new PipelineBenchmark.Result(architecture, 7_000, 900, latencies, steps,
                PipelineBenchmark.Workload.DEFAULT, dir.resolve("pipeline.json"));
        return HeadlessChromium.render(PipelineReportPage.of(result).writeBesides(result.report()), dir.resolve("profile"));
    }

    private static PipelineBenchmark.Step step(int rate, boolean bounded, boolean stages) {
        List<PipelineBenchmark.Sample> samples = new ArrayList<>();
        for (int s = 0; s <= 20; s++) {
            long lag = bounded ? 30 + s % 5 : 100L * s;
            samples.add(stages ? new PipelineBenchmark.Sample(s, (long) rate * s, lag, 300, 200, 60, 40)
                    : new PipelineBenchmark.Sample(s, (long) rate * s, lag, -1, -1, -1, -1));
        }
        return new PipelineBenchmark.Step(rate, rate * 0.98, bounded ? rate * 0.98 : rate * 0.6, bounded ? 32 : 1_000,
                bounded ? 33 : 2_000, rate * 10L, bounded, false, samples);
    }
}
