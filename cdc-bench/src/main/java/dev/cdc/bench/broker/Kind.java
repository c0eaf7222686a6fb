package dev.cdc.bench.broker;

/** What is measured, in the order of a round: each client, publishing and publishing to a consumer. */
public enum Kind {
    RAW_PUBLISH("raw_publish", "publish", "raw"),
    ADAPTER_PUBLISH("adapter_publish", "publish", "adapter"),
    RAW_PUBLISH_CONSUME("raw_publish_consume", "publish→consume", "raw"),
    ADAPTER_PUBLISH_CONSUME("adapter_publish_consume", "publish→consume", "adapter");

    private final String json;
    private final String what;
    private final String side;

    Kind(String json, String what, String side) {
        this.json = json;
        this.what = what;
        this.side = side;
    }

    /** Its name in the JSON report, e.g. {@code raw_publish_consume}. */
    public String json() {
        return json;
    }

    /** What is measured: {@code publish} or {@code publish→consume}. */
    public String what() {
        return what;
    }

    /** Which client: {@code raw} (plain Qpid JMS) or {@code adapter} (our AMQP adapter). */
    public String side() {
        return side;
    }

    /** Measured with plain Qpid JMS, the baseline. */
    public boolean raw() {
        return this == RAW_PUBLISH || this == RAW_PUBLISH_CONSUME;
    }

    /** A consumer acknowledges each message while the producer publishes. */
    public boolean consumes() {
        return this == RAW_PUBLISH_CONSUME || this == ADAPTER_PUBLISH_CONSUME;
    }
}
