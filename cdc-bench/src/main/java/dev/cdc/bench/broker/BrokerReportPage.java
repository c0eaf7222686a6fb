package dev.cdc.bench.broker;

import dev.cdc.bench.report.Chart;
import dev.cdc.bench.report.HtmlReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The broker benchmark's HTML report: every round of both clients, the adapter's share of raw against the bar, and
 * what a message costs in CPU, by thread.
 */
final class BrokerReportPage {

    private BrokerReportPage() {
    }

    static HtmlReport of(BrokerResult result) {
        List<String> kinds = Arrays.stream(Kind.values()).map(k -> k.what() + " " + k.side()).toList();
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (Round r : result.rounds()) {
            String name = "round " + r.number() + (r.rawFirst() ? "" : " (adapter first)");
            perRound.put(name, Arrays.stream(Kind.values()).map(r::perSecond).toList());
            ratios.put(name, List.of(r.publishRatio(), r.publishConsumeRatio()));
        }
        ratios.put("median", List.of(result.publishRatio(), result.publishConsumeRatio()));
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        cpu.put("whole process", values(result, Measurement::processCpuMicrosPerMessage));
        cpu.put("sending thread", values(result, Measurement::senderCpuMicrosPerMessage));
        cpu.put("consuming thread", Arrays.stream(Kind.values()).map(k -> k.consumes()
                ? result.median(k, Measurement::consumerCpuMicrosPerMessage) : Double.NaN).toList());
        HtmlReport page = new HtmlReport("Broker benchmark: our AMQP adapter against plain Qpid JMS")
                .context(String.format(Locale.ROOT, "%,d persistent %,d-byte messages a measurement, %d round%s after"
                                + " %,d warm-up; %s; Java %s, %s cores", result.messages(), result.messageBytes(),
                        result.rounds().size(), result.rounds().size() == 1 ? "" : "s", result.warmup(),
                        result.environment().getOrDefault("broker", "embedded Artemis"),
                        result.environment().get("java_version"), result.environment().get("cores")))
                .figure("publish: adapter / raw (medians)", String.format(Locale.ROOT, "%.3f (bar %.2f)",
                        result.publishRatio(), BrokerBenchmark.BAR), BrokerResult.passes(result.publishRatio()))
                .figure("publish→consume: adapter / raw (medians)", String.format(Locale.ROOT, "%.3f (bar %.2f)",
                        result.publishConsumeRatio(), BrokerBenchmark.BAR), BrokerResult.passes(result.publishConsumeRatio()))
                .chart(Chart.bars("Messages per second, every round", "Each round measures both clients publishing,"
                        + " then publishing to a consumer that acknowledges each message; the order within a pair"
                        + " alternates.", "msgs/s", kinds, perRound))
                .chart(Chart.bars("Adapter over raw, every round and the medians", "The medians must reach the"
                                + " dashed line.", "adapter / raw", List.of("publish", "publish→consume"), ratios)
                        .withLevel(String.format(Locale.ROOT, "bar %.2f", BrokerBenchmark.BAR), BrokerBenchmark.BAR))
                .chart(Chart.bars("CPU per message, by thread (medians)", "The whole process holds the broker too; the"
                        + " threads are the client's own work.", "µs per message", kinds, cpu));
        for (String w : result.warnings()) {
            page.context("WARNING: " + w);
        }
        return page;
    }

    private static List<Double> values(BrokerResult result, java.util.function.ToDoubleFunction<Measurement> of) {
        List<Double> values = new ArrayList<>();
        for (Kind k : Kind.values()) {
            values.add(result.median(k, of));
        }
        return values;
    }
}
