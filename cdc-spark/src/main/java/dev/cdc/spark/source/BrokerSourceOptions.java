package dev.cdc.spark.source;

import dev.cdc.broker.amqp.AmqpEndpoint;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * The source's options ({@code spark.readStream.format("cdc-broker").option(...)}). The password is an option so
 * Spark's redaction (keys matching {@code password}) keeps it out of plans and the UI.
 *
 * @param queue the address a consumer uses for the queue (on Solace the queue name; on the embedded Artemis
 *     {@code ADDRESS::QUEUE}, as {@code ./cdc infra} prints it)
 * @param maxEventsPerTrigger at most this many messages per micro-batch
 * @param maxBuffered at most this many received, unacknowledged messages on the driver; past it the queue waits
 * @param maxBytesPerTrigger at most this many body bytes per micro-batch (a batch holds at least one message)
 * @param maxBufferedBytes at most this many body bytes received and unacknowledged on the driver; past it the queue
 *     waits, so a backlog of large documents can't exhaust the driver's memory
 * @param firstMessageWait how long planning a batch waits for a first message when none is buffered
 * @param lease the queue's lease ({@link dev.cdc.broker.QueueLease}) the driver must hold before it consumes, or null
 */
public record BrokerSourceOptions(String host, int port, String username, String password, String queue,
                                  int prefetch, int maxEventsPerTrigger, int maxBuffered, long maxBytesPerTrigger,
                                  long maxBufferedBytes, Duration idleTimeout, Duration firstMessageWait, String lease)
        implements Serializable {

    public static BrokerSourceOptions from(Map<String, String> options) {
        int max = integer(options, "maxEventsPerTrigger", 5_000);
        long maxBytes = integer(options, "maxBytesPerTrigger", 64 << 20);
        return new BrokerSourceOptions(
                options.getOrDefault("host", "127.0.0.1"),
                integer(options, "port", 5672),
                blankToNull(options.get("username")),
                blankToNull(options.get("password")),
                required(options, "queue"),
                integer(options, "prefetch", 1_000),
                max,
                integer(options, "maxBuffered", max * 2),
                maxBytes,
                integer(options, "maxBufferedBytes", (int) Math.min(Integer.MAX_VALUE, maxBytes * 2)),
                Duration.ofMillis(integer(options, "idleTimeoutMs", (int) AmqpEndpoint.DEFAULT_IDLE_TIMEOUT.toMillis())),
                Duration.ofMillis(integer(options, "firstMessageWaitMs", 100)),
                blankToNull(options.get("lease")));
    }

    AmqpEndpoint endpoint() {
        return new AmqpEndpoint(host, port, username, password, 1_000, Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ZERO, idleTimeout);
    }

    private static String required(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("the cdc-broker source needs option '" + key + "'");
        }
        return v;
    }

    private static int integer(Map<String, String> options, String key, int defaultValue) {
        String v = options.get(key);
        if (v == null) {
            // Spark passes options in a case-insensitive map; lower-case keys reach us here too
            v = options.get(key.toLowerCase(java.util.Locale.ROOT));
        }
        try {
            int value = v == null ? defaultValue : Integer.parseInt(v.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + key + "' of the cdc-broker source must be a non-negative"
                    + " integer, was " + v, e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "cdc-broker source on amqp://" + host + ":" + port + " queue " + queue // never the password
                + (lease == null ? "" : " while it holds lease " + lease);
    }
}
