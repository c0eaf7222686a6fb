package dev.cdc.flink.job;

/**
 * One record for the REST API: its kind (the endpoint), the id the API deduplicates by, the key whose records must
 * arrive in order (an enriched order's order key; otherwise the id), and the JSON body.
 */
public class ApiRecord {

    public static final String CHANGE = "changes";
    public static final String ENRICHED_ORDER = "enriched-orders";
    public static final String ALERT = "alerts";
    /** Every kind, one REST endpoint each. */
    public static final java.util.List<String> KINDS = java.util.List.of(CHANGE, ENRICHED_ORDER, ALERT);

    public String kind;
    public String id;
    public String orderingKey;
    /** UTF-8 JSON. */
    public byte[] json;
    /** Source commit time (epoch ms) of the change behind it; latency is measured from it. */
    public long sourceTsMs;
    /** The broker topic of the change behind it (for a dead letter). */
    public String topic;
    /** Whether its latency counts: a change record not from the initial snapshot's bulk load. */
    public boolean latencyMeasured;

    public ApiRecord() {
    }

    public static ApiRecord of(String kind, String id, String orderingKey, byte[] json, long sourceTsMs, String topic) {
        ApiRecord r = new ApiRecord();
        r.kind = kind;
        r.id = id;
        r.orderingKey = orderingKey;
        r.json = json;
        r.sourceTsMs = sourceTsMs;
        r.topic = topic;
        return r;
    }
}
