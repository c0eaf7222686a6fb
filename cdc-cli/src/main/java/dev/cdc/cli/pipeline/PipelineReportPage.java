package dev.cdc.cli.pipeline;

import dev.cdc.bench.report.Chart;
import dev.cdc.bench.report.HtmlReport;
import dev.cdc.cli.pipeline.PipelineBenchmark.Result;
import dev.cdc.cli.pipeline.PipelineBenchmark.Sample;
import dev.cdc.cli.pipeline.PipelineBenchmark.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The pipeline benchmark's HTML report: the queue's lag through every rate step with its verdict, the change
 * latency's percentiles and histogram against the bar, the raw broker round trip next to what the pipeline
 * carried, and (Spark) where a micro-batch's time went at each rate.
 */
final class PipelineReportPage {

    private PipelineReportPage() {
    }

    static HtmlReport of(Result result) {
        String engine = result.architecture().title();
        HtmlReport page = new HtmlReport("Pipeline benchmark: " + engine)
                .context(String.format(Locale.ROOT, "Everything on this machine at once: broker, %s, generator,"
                        + " consumer. %d-byte events on average.", result.architecture().appliedAt(),
                        result.messageBytes()))
                .context("Workload: " + result.workload().json())
                .figure("change latency p99 at 5,000 events/min", String.format(Locale.ROOT, "%,d ms (bar %,d ms)",
                        result.p99(), result.latencyBar()), result.p99() < result.latencyBar())
                .figure("sustained rate with bounded lag", String.format(Locale.ROOT, "%,.0f events/s (bar %,.0f: 40%% of"
                        + " the raw round trip, %,.0f msg/s)", result.sustained(), 0.4 * result.rawRoundTrip(),
                        result.rawRoundTrip()), result.sustained() >= 0.4 * result.rawRoundTrip())
                .figure("verdict", result.passed() ? "both bars met" : "a bar missed", result.passed())
                .chart(lag(result.steps()))
                .chart(percentiles(result))
                .chart(histogram(result.latencies()))
                .chart(throughput(result));
        if (result.steps().stream().flatMap(s -> s.samples().stream()).anyMatch(s -> s.batchMillis() >= 0)) {
            page.chart(stages(result.steps()));
        } else {
            page.context(engine + " does not split its work into timed stages; the lag and latency charts are its cost.");
        }
        return page;
    }

    private static Chart lag(List<Step> steps) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (Step s : steps) {
            series.put(label(s) + ": " + s.verdict(), s.samples().stream()
                    .map(p -> new double[] {p.seconds(), p.lag()}).toList());
        }
        return Chart.lines("Queue lag during each rate step", "Bounded: over a step's second half the queue grew by"
                + " less than 5% of what was published in it. After the load ends, the queue drains before the next"
                + " step.", "seconds into the step", "messages waiting", series);
    }

    private static Chart percentiles(Result result) {
        Histogram h = result.latencies();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("ms", List.of((double) h.getValueAtPercentile(50), (double) h.getValueAtPercentile(90),
                (double) h.getValueAtPercentile(99), (double) h.getValueAtPercentile(99.9), (double) h.getMaxValue()));
        return Chart.bars("Change latency at 5,000 events/min", String.format(Locale.ROOT, "Source commit to %s,"
                                + " %,d changes; p99 must stay under the dashed line.", result.architecture().appliedAt(),
                        result.changes()), "ms", List.of("p50", "p90", "p99", "p99.9", "max"), series)
                .withLevel("bar: p99 under " + result.latencyBar() + " ms", result.latencyBar());
    }

    private static Chart histogram(Histogram h) {
        List<String> buckets = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        if (h.getTotalCount() > 0) {
            for (HistogramIterationValue v : h.logarithmicBucketValues(1, 2)) {
                if (buckets.isEmpty() && v.getCountAddedInThisIterationStep() == 0) {
                    continue; // from the first bucket that holds a change
                }
                buckets.add("≤ " + String.format(Locale.ROOT, "%,d", v.getValueIteratedTo()) + " ms");
                counts.add((double) v.getCountAddedInThisIterationStep());
            }
        }
        return Chart.bars("Change latency histogram", "Changes per latency bucket; each bucket twice as wide as the"
                + " one before.", "changes", buckets, Map.of("changes", counts));
    }

    private static Chart throughput(Result result) {
        List<String> steps = result.steps().stream().map(PipelineReportPage::label).toList();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("published/s", result.steps().stream().map(Step::publishedPerSecond).toList());
        series.put("consumed/s", result.steps().stream().map(Step::consumedPerSecond).toList());
        return Chart.bars("The pipeline next to the raw broker round trip", "Each rate step's published and consumed"
                        + " events/s. The upper line is plain Qpid JMS publish-to-consume of messages this size, measured"
                        + " in the same run; the sustained rate must reach the lower one.", "events/s", steps, series)
                .withLevel(String.format(Locale.ROOT, "raw round trip %,.0f/s", result.rawRoundTrip()), result.rawRoundTrip())
                .withLevel("bar: 40% of raw", 0.4 * result.rawRoundTrip());
    }

    private static Chart stages(List<Step> steps) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("apply (executors)", means(steps, Sample::applyMillis));
        series.put("recompute (join)", means(steps, Sample::recomputeMillis));
        series.put("driver", means(steps, Sample::driverMillis));
        return Chart.bars("Where a micro-batch's time went, by rate", "The mean over a step's samples of the last"
                        + " batch's stages: the changes applied on the executors, the queued orders recomputed, the rest"
                        + " on the driver.", "ms per batch", steps.stream().map(PipelineReportPage::label).toList(), series)
                .stacked();
    }

    private static List<Double> means(List<Step> steps, ToLongFunction<Sample> of) {
        return steps.stream().map(s -> s.samples().stream().filter(p -> p.batchMillis() >= 0).mapToLong(of)
                .average().orElse(Double.NaN)).toList();
    }

    private static String label(Step s) {
        return s.targetPerSecond() < 0 ? "max" : String.format(Locale.ROOT, "%,.0f/s", s.targetPerSecond());
    }
}
