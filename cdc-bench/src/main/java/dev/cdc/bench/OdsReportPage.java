package dev.cdc.bench;

import dev.cdc.bench.OdsBenchmark.Mode;
import dev.cdc.bench.OdsBenchmark.Result;
import dev.cdc.bench.report.Chart;
import dev.cdc.bench.report.HtmlReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The ODS benchmark's HTML report: every round of every mode against the bar, and what each stage costs. */
final class OdsReportPage {

    private OdsReportPage() {
    }

    static HtmlReport of(Result result) {
        int rounds = result.eventsPerSecond().get(Mode.RAW_UPSERT).size();
        List<String> modes = Arrays.stream(Mode.values()).map(Enum::name).toList();
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            List<Double> values = new ArrayList<>();
            for (Mode mode : Mode.values()) {
                values.add(result.eventsPerSecond().get(mode).get(r));
            }
            perRound.put("round " + (r + 1), values);
        }
        double raw = result.median(Mode.RAW_UPSERT);
        double state = result.median(Mode.WRITER_STATE);
        Map<String, List<Double>> cost = new LinkedHashMap<>();
        cost.put("ms per 1,000 events", List.of(1e6 / raw, result.decodeMsPer1000(), 1e6 / state,
                result.xmlMsPer1000(), result.joinMsPer1000()));
        return new HtmlReport("ODS benchmark")
                .context(String.format(Locale.ROOT, "%,d events a measurement, %d round%s after a warm-up, embedded"
                        + " PostgreSQL on this machine; medians are compared", result.events(), rounds,
                        rounds == 1 ? "" : "s"))
                .figure("writer (state tables) / raw batched upsert", String.format(Locale.ROOT, "%.2f (bar 0.70)",
                        result.stateRatio()), result.passed())
                .figure("raw COPY and merge / raw batched upsert", String.format(Locale.ROOT, "%.2f",
                        result.median(Mode.RAW_COPY_MERGE) / raw), null)
                .figure("per 1,000 events: decoding, XML extraction, join recompute", String.format(Locale.ROOT,
                        "%.1f ms, %.1f ms, %.1f ms", result.decodeMsPer1000(), result.xmlMsPer1000(),
                        result.joinMsPer1000()), null)
                .chart(Chart.bars("Events per second by mode, every round", "The writer's state-table apply"
                                + " (WRITER_STATE) must reach the dashed line: 70% of the raw batched upsert's median.",
                        "events/s", modes, perRound).withLevel("bar: 70% of raw", 0.7 * raw))
                .chart(Chart.bars("What 1,000 events cost, by stage", "Decoding runs on the engine's workers;"
                                + " the state tables' apply includes it. XML extraction and the join recompute are what"
                                + " each adds on top (differences of medians).", "ms",
                        List.of("raw upsert", "decoding", "state tables (writer)", "XML extraction", "join recompute"),
                        cost));
    }
}
