package dev.cdc.bench.broker;

import static dev.cdc.bench.Statistics.round1;
import static dev.cdc.bench.Statistics.round4;

import dev.cdc.bench.Json;
import dev.cdc.bench.report.HtmlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link BrokerResult}: the JSON report (every round, medians, ratios, verdicts) and the text table. */
public final class BrokerReport {

    private BrokerReport() {
    }

    /** Writes the JSON report, creating its directory. */
    public static void writeJson(BrokerResult result, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Json.write(toJson(result)), StandardCharsets.UTF_8);
    }

    /** The report as JSON-ready maps and lists. */
    public static Map<String, Object> toJson(BrokerResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "broker");
        json.put("started", result.started());
        json.put("messages", result.messages());
        json.put("message_bytes", result.messageBytes());
        json.put("persistent", true);
        json.put("topic", BrokerBenchmark.TOPIC);
        json.put("queue", BrokerBenchmark.QUEUE + " subscribing " + BrokerBenchmark.SUBSCRIPTION);
        json.put("warmup_messages", result.warmup());
        json.put("in_flight", result.inFlight());
        json.put("prefetch", result.prefetch());
        json.put("bar", BrokerBenchmark.BAR);
        json.put("environment", result.environment());
        List<Object> perRound = new ArrayList<>();
        for (Round r : result.rounds()) {
            perRound.add(roundJson(r));
        }
        json.put("rounds", perRound);
        Map<String, Object> medians = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            medians.put(k.json(), round1(result.median(k)));
        }
        json.put("median_msgs_per_s", medians);
        Map<String, Object> cpu = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("process", round1(result.median(k, Measurement::processCpuMicrosPerMessage)));
            c.put("sender_thread", round1(result.median(k, Measurement::senderCpuMicrosPerMessage)));
            if (k.consumes()) {
                c.put("consumer_thread", round1(result.median(k, Measurement::consumerCpuMicrosPerMessage)));
            }
            cpu.put(k.json(), c);
        }
        json.put("median_cpu_us_per_msg", cpu);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("publish", verdictJson(result.publishRatio()));
        ratios.put("publish_consume", verdictJson(result.publishConsumeRatio()));
        json.put("adapter_over_raw", ratios);
        json.put("passed", result.passed());
        json.put("warnings", result.warnings());
        return json;
    }

    private static Map<String, Object> roundJson(Round r) {
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("round", r.number());
        round.put("order", r.rawFirst() ? List.of("raw", "adapter") : List.of("adapter", "raw"));
        for (Kind k : Kind.values()) {
            Measurement m = r.measurements().get(k);
            if (m == null) {
                continue;
            }
            Map<String, Object> mj = new LinkedHashMap<>();
            mj.put("msgs_per_s", round1(m.perSecond()));
            mj.put("messages", m.messages());
            mj.put("nanos", m.nanos());
            if (k.consumes()) {
                mj.put("publish_side_msgs_per_s", round1(m.publishPerSecond()));
            }
            mj.put("process_cpu_us_per_msg", round1(m.processCpuMicrosPerMessage()));
            mj.put("sender_cpu_us_per_msg", round1(m.senderCpuMicrosPerMessage()));
            if (k.consumes()) {
                mj.put("consumer_cpu_us_per_msg", round1(m.consumerCpuMicrosPerMessage()));
            }
            round.put(k.json(), mj);
        }
        round.put("publish_ratio", round4(r.publishRatio()));
        round.put("publish_consume_ratio", round4(r.publishConsumeRatio()));
        return round;
    }

    private static Map<String, Object> verdictJson(double ratio) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ratio", round4(ratio));
        v.put("verdict", BrokerResult.verdict(ratio));
        return v;
    }

    /** The human report. */
    public static String table(BrokerResult result) {
        List<Round> rounds = result.rounds();
        Map<String, Object> environment = result.environment();
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Broker benchmark: %,d persistent %,d-byte messages per measurement, %d round%s"
                        + " (after %,d warm-up), %s, Java %s, %s cores%n", result.messages(), result.messageBytes(),
                rounds.size(), rounds.size() == 1 ? "" : "s", result.warmup(),
                environment.getOrDefault("broker", "embedded Artemis"), environment.get("java_version"),
                environment.get("cores")));
        t.append(String.format(Locale.ROOT, "%-26s", "msgs/s"));
        for (Round r : rounds) {
            t.append(String.format(Locale.ROOT, "%12s", "round " + r.number() + (r.rawFirst() ? "" : "*")));
        }
        t.append(String.format(Locale.ROOT, "%12s%n", "median"));
        for (Kind k : Kind.values()) {
            t.append(String.format(Locale.ROOT, "%-17s%-9s", label(k), k.side()));
            for (Round r : rounds) {
                t.append(String.format(Locale.ROOT, "%,12.0f", r.perSecond(k)));
            }
            t.append(String.format(Locale.ROOT, "%,12.0f%n", result.median(k)));
        }
        if (rounds.stream().anyMatch(r -> !r.rawFirst())) {
            t.append("(* the adapter ran first in that round's pairs)\n");
        }
        t.append(String.format(Locale.ROOT, "%n%-26s%12s%12s%12s%n", "CPU µs/msg (medians)", "process", "sender", "consumer"));
        for (Kind k : Kind.values()) {
            t.append(String.format(Locale.ROOT, "%-17s%-9s%12.1f%12.1f%12s%n", label(k), k.side(),
                    result.median(k, Measurement::processCpuMicrosPerMessage),
                    result.median(k, Measurement::senderCpuMicrosPerMessage),
                    k.consumes() ? String.format(Locale.ROOT, "%.1f", result.median(k, Measurement::consumerCpuMicrosPerMessage)) : "-"));
        }
        t.append(String.format(Locale.ROOT, "%nadapter/raw (medians), bar %.2f:%n", BrokerBenchmark.BAR));
        t.append(String.format(Locale.ROOT, "  publish           %.3f  %s%n", result.publishRatio(),
                BrokerResult.verdict(result.publishRatio())));
        t.append(String.format(Locale.ROOT, "  publish→consume   %.3f  %s%n", result.publishConsumeRatio(),
                BrokerResult.verdict(result.publishConsumeRatio())));
        for (String w : result.warnings()) {
            t.append("WARNING: ").append(w).append('\n');
        }
        if (result.reportFile() != null) {
            t.append("JSON: ").append(result.reportFile()).append('\n');
            t.append("charts: ").append(HtmlReport.besides(result.reportFile())).append('\n');
        }
        return t.toString();
    }

    /** What is measured, on the raw row of a pair only. */
    private static String label(Kind k) {
        return k.raw() ? k.what() : "";
    }
}
