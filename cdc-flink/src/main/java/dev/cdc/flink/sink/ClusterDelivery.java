package dev.cdc.flink.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.progress.ChangeLatency;
import dev.cdc.common.progress.ConsumerProgress;
import dev.cdc.flink.source.reader.ReaderProgress;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job's sink writers delivered on a Flink cluster, read from the writers' {@link DeliveryCounts} metrics
 * through the JobManager's REST API ({@code /jobs/ID/vertices/V/subtasks/N/metrics}); the cluster should set
 * {@code metrics.fetcher.update-interval} to about a second, or the JobManager serves values up to 10 s old.
 * Metrics and not {@code JobClient.getAccumulators()}: a Sink V2 writer gets a metric group but no accumulators,
 * and accumulators reach the JobManager only with the TaskManagers' heartbeats. Per subtask, not aggregated by
 * the JobManager ({@code agg=sum}): each writer's latencies are a histogram merged here exactly, and a restarted
 * writer (a new {@link DeliveryCounts#INSTANCE}) counts from zero, so what its predecessor was last seen to count
 * is carried: the totals only grow. What a killed writer counted after the last read is lost to them (about a
 * second's deliveries), and what the restarted job delivers again is counted again, as redeliveries are locally.
 * Known gap: when the first restart after a lost TaskManager is sent to that TaskManager and the job restarts again,
 * Flink 2.3's JobManager goes on serving the metrics of the attempt before the failure (every view of them), so these
 * totals stop at their level at the failure.
 * Not thread-safe; one reader.
 */
public final class ClusterDelivery {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String job;
    /** Per vertex, the ids of its writers' delivery metrics (found once they are reported). */
    private final Map<String, List<String>> metricIds = new HashMap<>();
    /** Per writer (vertex, subtask, operator), what it was last seen to count, and what its predecessors did. */
    private final Map<String, Writer> writers = new LinkedHashMap<>();
    /** Per source reader, the same: its broker counts ({@link ReaderProgress}'s names). */
    private final Map<String, Reader> readers = new LinkedHashMap<>();

    /**
     * @param restUrl the JobManager's REST address, e.g. {@code http://127.0.0.1:8081}
     */
    public ClusterDelivery(String restUrl, String jobId) {
        this.job = restUrl + "/jobs/" + jobId;
    }

    /** The job's totals now; {@link DeliveryTotals#NONE} until its writers report. */
    public DeliveryTotals read() throws IOException, InterruptedException {
        for (JsonNode vertex : get(job).path("vertices")) {
            String vertexUrl = job + "/vertices/" + vertex.path("id").asText();
            List<String> ids = metricIds.get(vertexUrl);
            if (ids == null) {
                ids = new ArrayList<>();
                for (JsonNode m : get(vertexUrl + "/subtasks/metrics")) {
                    String id = m.path("id").asText();
                    if (id.contains("." + DeliveryCounts.GROUP + ".") || id.contains("." + ReaderProgress.GROUP + ".")) {
                        ids.add(id);
                    }
                }
                if (ids.isEmpty()) {
                    continue; // no writer here, or not reported yet: asked again next time
                }
                metricIds.put(vertexUrl, ids);
            }
            String query = "?get=" + String.join(",", ids.stream().map(i -> URLEncoder.encode(i, StandardCharsets.UTF_8)).toList());
            for (int subtask = 0; subtask < vertex.path("parallelism").asInt(); subtask++) {
                Map<String, Map<String, String>> byOperator = new HashMap<>();
                Map<String, Map<String, String>> byReader = new HashMap<>();
                for (JsonNode m : get(vertexUrl + "/subtasks/" + subtask + "/metrics" + query)) {
                    String id = m.path("id").asText();
                    String group = id.contains("." + DeliveryCounts.GROUP + ".") ? DeliveryCounts.GROUP : ReaderProgress.GROUP;
                    int at = id.lastIndexOf("." + group + ".");
                    (group.equals(DeliveryCounts.GROUP) ? byOperator : byReader)
                            .computeIfAbsent(id.substring(0, at), o -> new HashMap<>())
                            .put(id.substring(at + group.length() + 2), m.path("value").asText());
                }
                for (Map.Entry<String, Map<String, String>> e : byOperator.entrySet()) {
                    String instance = e.getValue().get(DeliveryCounts.INSTANCE);
                    if (instance != null) {
                        writers.computeIfAbsent(vertexUrl + "/" + subtask + "/" + e.getKey(), k -> new Writer())
                                .seen(instance, reading(e.getValue()));
                    }
                }
                for (Map.Entry<String, Map<String, String>> e : byReader.entrySet()) {
                    String instance = e.getValue().get(ReaderProgress.INSTANCE);
                    if (instance != null) {
                        readers.computeIfAbsent(vertexUrl + "/" + subtask + "/" + e.getKey(), k -> new Reader())
                                .seen(instance, e.getValue());
                    }
                }
            }
        }
        DeliveryTotals sum = DeliveryTotals.NONE;
        for (Writer w : writers.values()) {
            sum = sum.plus(w.carried).plus(w.last);
        }
        return sum;
    }

    /**
     * What the job's source readers received and acknowledged, as of the last {@link #read}; null until they report.
     * A restarted reader counts from zero: what its predecessor counted is carried, as for the writers.
     */
    public ConsumerProgress.Source source() {
        if (readers.isEmpty()) {
            return null;
        }
        ConsumerProgress.Source sum = ConsumerProgress.Source.NONE;
        for (Reader r : readers.values()) {
            sum = sum.plus(r.carried).plus(r.last);
        }
        return sum;
    }

    private static DeliveryTotals reading(Map<String, String> values) {
        long[] counts = new long[DeliveryCounts.COUNTERS.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Long.parseLong(values.getOrDefault(DeliveryCounts.COUNTERS.get(i), "0"));
        }
        String latency = values.get(DeliveryCounts.LATENCY);
        return DeliveryTotals.of(counts, latency == null ? ChangeLatency.histogram() : ChangeLatency.decode(latency),
                (int) Double.parseDouble(values.getOrDefault(DeliveryCounts.OPEN_CIRCUIT, "0")),
                group(values, DeliveryCounts.DEAD_LETTERS_BY_TYPE), group(values, DeliveryCounts.RETRIES_BY_ENDPOINT),
                group(values, DeliveryCounts.REFUSED_BY_ENDPOINT));
    }

    /** The counters of one subgroup of the delivery metrics, by their name in it. */
    private static Map<String, Long> group(Map<String, String> values, String subgroup) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        String prefix = subgroup + ".";
        values.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                counts.put(name.substring(prefix.length()), Long.parseLong(value));
            }
        });
        return counts;
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return DebeziumJsonCodec.mapper().readTree(r.body());
    }

    private static final class Reader {
        private String instance;
        private ConsumerProgress.Source last = ConsumerProgress.Source.NONE;
        private ConsumerProgress.Source carried = ConsumerProgress.Source.NONE;

        void seen(String instance, Map<String, String> values) {
            if (this.instance != null && !this.instance.equals(instance)) {
                carried = carried.plus(last.counted()); // a restarted reader: its predecessor's counts stay
            }
            this.instance = instance;
            last = new ConsumerProgress.Source(number(values, ReaderProgress.RECEIVED, 0),
                    number(values, ReaderProgress.ACKNOWLEDGED, 0), number(values, ReaderProgress.REDELIVERED, 0),
                    number(values, ReaderProgress.UNACKNOWLEDGED_BYTES, 0), number(values, ReaderProgress.LAST_CHECKPOINT, -1));
        }

        private static long number(Map<String, String> values, String name, long none) {
            String v = values.get(name);
            return v == null ? none : (long) Double.parseDouble(v);
        }
    }

    private static final class Writer {
        private String instance;
        private DeliveryTotals last = DeliveryTotals.NONE;
        private DeliveryTotals carried = DeliveryTotals.NONE;

        void seen(String instance, DeliveryTotals now) {
            if (this.instance != null && !this.instance.equals(instance)) {
                carried = carried.plus(last.counted()); // a restarted writer: its predecessor's counts stay in the totals
            }
            this.instance = instance;
            last = now;
        }
    }
}
