package dev.cdc.cli;

import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.metrics.PrometheusText;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.infra.InfraSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./cdc status}: one screen for a running set-up, from the metrics its parts serve, read twice
 * {@code --interval} apart for the rates: each queue's depth, rates and quota, each consumer's counts. Stuck is
 * what an operator must act on: a queue whose messages wait while nothing is acknowledged, a queue near its quota,
 * messages waiting with no consumer attached, a Flink job whose circuit to the REST API is open.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows a running set-up on one screen and exits non-zero when something is stuck.",
            "Reads the metrics of the broker (./cdc infra or a demo) and of the consumers twice, --interval apart:"
                + " each queue's depth, rates and quota, each consumer's counts. Exit code 0 when healthy, 1 when"
                + " stuck (messages waiting while none is acknowledged or no consumer is attached, a queue past 80%%"
                + " of its quota, the Flink job's circuit to the REST API open), 3 when no broker answers."})
final class StatusCommand implements Callable<Integer> {

    static final int NOTHING_RUNS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--interval", paramLabel = "TIME", converter = DurationConverter.class, defaultValue = "3s",
            description = "time between the two readings the rates come from (default: ${DEFAULT-VALUE})")
    Duration interval;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public Integer call() throws Exception {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("--interval must be positive, was " + interval);
        }
        PrintWriter out = spec.commandLine().getOut();
        Configuration c = config.load();
        String brokerUrl = "http://" + c.get(InfraSettings.METRICS_HOST) + ":" + c.get(InfraSettings.METRICS_PORT) + "/metrics";
        PrometheusText first = scrape(brokerUrl);
        if (first == null) {
            out.println("status: no broker metrics at " + brokerUrl + ": is ./cdc infra (or a demo) running?");
            out.flush();
            return NOTHING_RUNS;
        }
        Map<ConsumerProcess, PrometheusText> consumersBefore = new java.util.EnumMap<>(ConsumerProcess.class);
        for (ConsumerProcess p : ConsumerProcess.values()) {
            PrometheusText m = scrape(p.metricsUrl(c));
            if (m != null) {
                consumersBefore.put(p, m);
            }
        }
        Thread.sleep(interval.toMillis()); // the second reading: rates are the difference over this time
        PrometheusText second = scrape(brokerUrl);
        if (second == null) {
            out.println("status: the broker's metrics at " + brokerUrl + " stopped answering");
            out.flush();
            return NOTHING_RUNS;
        }
        double seconds = interval.toMillis() / 1000.0;
        List<String> stuck = new ArrayList<>();
        out.println("broker   " + brokerUrl);
        for (QueueSpec q : BrokerSettings.queues(c)) {
            Map<String, String> queue = Map.of("queue", q.name());
            double waiting = second.value("cdc_broker_queue_messages", queue).orElse(Double.NaN);
            double waitingBefore = first.value("cdc_broker_queue_messages", queue).orElse(Double.NaN);
            double enqueued = rate(first, second, "cdc_broker_queue_enqueued_messages_total", queue, seconds);
            double acked = rate(first, second, "cdc_broker_queue_acknowledged_messages_total", queue, seconds);
            double again = rate(first, second, "cdc_broker_queue_redelivered_messages_total", queue, seconds);
            double consumers = second.value("cdc_broker_queue_consumers", queue).orElse(0.0);
            double bytes = second.value("cdc_broker_queue_bytes", queue).orElse(0.0);
            double quota = second.value("cdc_broker_queue_quota_bytes", queue).orElse(0.0);
            double used = quota > 0 ? bytes / quota : 0;
            out.printf(Locale.ROOT, "  %-18s waiting %,9.0f (%+,.0f)  in %,7.1f/s  acked %,7.1f/s  redelivered %,.1f/s"
                            + "  consumers %.0f  quota %3.0f%% of %,.0f MB%n", q.name(), waiting, waiting - waitingBefore,
                    enqueued, acked, again, consumers, used * 100, quota / (1 << 20));
            boolean deadLetters = q.whenFull() == QueueSpec.WhenFull.PAGE; // read by people, not by a consumer
            if (used >= 0.8) {
                stuck.add(q.name() + " holds " + Math.round(used * 100) + "% of its quota");
            }
            if (!deadLetters && waiting > 0 && consumers == 0) {
                stuck.add(q.name() + ": " + Math.round(waiting) + " messages wait and no consumer is attached");
            } else if (!deadLetters && waiting > 0 && waiting >= waitingBefore && acked == 0) {
                stuck.add(q.name() + ": " + Math.round(waiting) + " messages wait and none was acknowledged in "
                        + interval.toSeconds() + " s");
            }
        }
        for (ConsumerProcess p : ConsumerProcess.values()) {
            PrometheusText now = scrape(p.metricsUrl(c));
            if (now == null) {
                out.println("consumer " + p.label() + ": not running (no metrics at " + p.metricsUrl(c) + ")");
                continue;
            }
            Map<String, String> engine = Map.of("engine", p.label());
            PrometheusText before = consumersBefore.getOrDefault(p, now);
            out.printf(Locale.ROOT, "consumer %s %s: events %,.0f (%,.1f/s), written %,.0f, dead letters %,.0f, late %,.0f,"
                            + " retries %,.0f%n", p.label(), p.metricsUrl(c),
                    now.value("cdc_consumer_events_total", engine).orElse(0.0),
                    rate(before, now, "cdc_consumer_events_total", engine, seconds),
                    now.value("cdc_consumer_written_total", engine).orElse(0.0),
                    now.value("cdc_consumer_dead_letters_total", engine).orElse(0.0),
                    now.value("cdc_consumer_late_changes_total", engine).orElse(0.0),
                    now.value("cdc_consumer_retries_total", engine).orElse(0.0));
            out.printf(Locale.ROOT, "         received %,.0f (%,.0f redelivered), acknowledged %,.0f, holding %,.1f MB"
                            + " unacknowledged%n", now.value("cdc_consumer_received_messages_total", engine).orElse(0.0),
                    now.value("cdc_consumer_redelivered_messages_total", engine).orElse(0.0),
                    now.value("cdc_consumer_acknowledged_messages_total", engine).orElse(0.0),
                    now.value("cdc_consumer_unacknowledged_bytes", engine).orElse(0.0) / (1 << 20));
            double open = now.value("cdc_flink_open_circuits", engine).orElse(0.0);
            if (open > 0) {
                stuck.add(p.label() + ": the circuit to the REST API is open in " + Math.round(open) + " sink writer"
                        + (open == 1 ? "" : "s") + " (the API fails or does not answer; their records wait unacknowledged)");
            }
        }
        out.println(stuck.isEmpty() ? "status: healthy" : "status: STUCK: " + String.join("; ", stuck));
        out.flush();
        return stuck.isEmpty() ? 0 : 1;
    }

    private static double rate(PrometheusText before, PrometheusText after, String name, Map<String, String> labels,
                               double seconds) {
        return Math.max(0, after.value(name, labels).orElse(0.0) - before.value(name, labels).orElse(0.0)) / seconds;
    }

    /** The endpoint's metrics, or null when nothing answers there. */
    private PrometheusText scrape(String url) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? PrometheusText.parse(r.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
