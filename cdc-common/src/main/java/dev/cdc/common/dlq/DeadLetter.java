package dev.cdc.common.dlq;

import dev.cdc.common.admission.TopicLayout;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.TopicName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change that could not be applied because it is bad in itself (never because a system was down), with what is
 * needed to understand and replay it: the original message untouched, why it failed and where.
 *
 * @param original the message as it arrived (topic, properties, payload)
 * @param consumerId the consumer that failed it
 */
public record DeadLetter(BrokerMessage original, ErrorType errorType, String errorMessage, String consumerId,
                         Instant failedAt) implements java.io.Serializable {

    /** Message properties a dead letter carries on the DLQ topic, next to the original ones. */
    public static final String PROPERTY_ERROR_TYPE = "cdc_error_type";
    public static final String PROPERTY_ERROR_MESSAGE = "cdc_error_message";
    public static final String PROPERTY_CONSUMER = "cdc_consumer_id";
    public static final String PROPERTY_ORIGINAL_TOPIC = "cdc_original_topic";
    public static final String PROPERTY_FAILED_AT = "cdc_failed_at";

    /** Why a change is a dead letter. */
    public enum ErrorType {
        /** The body is not a Debezium JSON envelope the decoder can read. */
        MALFORMED_JSON,
        /** An XML column could not be extracted; the row itself still lands. */
        MALFORMED_XML,
        /** A value can't be held by its column's type without losing information. */
        UNSAFE_TYPE_CHANGE,
        /** A table or column name from the payload can't be an SQL identifier. */
        INVALID_IDENTIFIER,
        /** The message carries no row key. */
        MISSING_KEY,
        /** The database refused the row itself (a constraint or data error), found by splitting the batch. */
        REJECTED_BY_DATABASE,
        /** The REST target refused the record as bad in itself (never because it was down: that is waited out). */
        UNDELIVERABLE,
        /**
         * The broker moved the message to its dead-message queue after its maximum delivery attempts (no consumer
         * said why); found there by {@code ./cdc dlq drain}.
         */
        DELIVERY_ATTEMPTS_EXCEEDED
    }

    /** The same failure of the same message, whenever and however often it happens: the DLQ keeps one record. */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(original.topic().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(original.properties().get(MessageProperties.KEY)).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(String.valueOf(original.properties().get(MessageProperties.SCN)).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(errorType.name().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(original.body());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The DLQ topic of the original's table ({@code cdc/dlq/SCHEMA/TABLE}), read from its topic as the default layout
     * lays it out (a truncate's topic too); a topic that names none goes to UNKNOWN.
     */
    public String deadLetterTopic() {
        TableId table = TopicLayout.defaults().route(original.topic()).map(TopicLayout.Route::table)
                .orElse(new TableId("UNKNOWN", "UNKNOWN"));
        return TopicName.deadLetter(table).toString();
    }

    /**
     * The dead letter a message taken from a broker's dead-letter queue stands for: a message a consumer published to
     * a DLQ topic ({@link #toBrokerMessage}) gives back the dead letter it was made from; any other message (one the
     * broker moved to its dead-message queue after too many deliveries) is a {@link ErrorType#DELIVERY_ATTEMPTS_EXCEEDED}
     * dead letter of itself, failed at {@code now}.
     *
     * @param queue the queue it was taken from, named in the reason of a dead-message
     */
    public static DeadLetter fromBrokerMessage(BrokerMessage message, String queue, Instant now) {
        Map<String, String> properties = new LinkedHashMap<>(message.properties());
        String type = properties.remove(PROPERTY_ERROR_TYPE);
        String reason = properties.remove(PROPERTY_ERROR_MESSAGE);
        String consumer = properties.remove(PROPERTY_CONSUMER);
        String topic = properties.remove(PROPERTY_ORIGINAL_TOPIC);
        String failedAt = properties.remove(PROPERTY_FAILED_AT);
        ErrorType errorType = type == null ? null : errorType(type);
        if (errorType == null || topic == null) {
            return new DeadLetter(withTopic(message), ErrorType.DELIVERY_ATTEMPTS_EXCEEDED, "the broker moved it to "
                    + queue + " after its maximum delivery attempts", "broker", now);
        }
        Instant at = now;
        try {
            at = failedAt == null ? now : Instant.parse(failedAt);
        } catch (java.time.format.DateTimeParseException e) {
            properties.put(PROPERTY_FAILED_AT, failedAt); // kept as shown, not a reason to lose the dead letter
        }
        return new DeadLetter(new BrokerMessage(topic, properties, message.body()), errorType,
                reason == null ? "" : reason, consumer == null ? "unknown" : consumer, at);
    }

    /**
     * A message named by the queue it came from (a broker that moves a message to its dead-message queue may not
     * keep the topic it was published to: Artemis over AMQP does not) gets its change topic back from its Debezium
     * payload ({@code source.schema}, {@code source.table}, {@code op}), so a replay can send it there; a payload
     * that names none keeps the queue's name (replay refuses it).
     */
    private static BrokerMessage withTopic(BrokerMessage message) {
        if (message.topic().indexOf('/') >= 0) {
            return message;
        }
        try {
            var event = new dev.cdc.common.codec.DebeziumJsonCodec().decode(message.body(),
                    message.property(MessageProperties.KEY));
            return new BrokerMessage(TopicName.change(event.table(), event.op()).toString(), message.properties(),
                    message.body());
        } catch (dev.cdc.common.event.MalformedEventException | IllegalArgumentException e) {
            return message; // not a change this version can read: recorded as it came, with the queue as its topic
        }
    }

    private static ErrorType errorType(String name) {
        try {
            return ErrorType.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null; // a type this version does not know: kept as a dead-message with its properties
        }
    }

    /** The message for the DLQ topic: the original payload and properties, plus why and where it failed. */
    public BrokerMessage toBrokerMessage() {
        Map<String, String> properties = new LinkedHashMap<>(original.properties());
        properties.put(PROPERTY_ERROR_TYPE, errorType.name());
        properties.put(PROPERTY_ERROR_MESSAGE, errorMessage);
        properties.put(PROPERTY_CONSUMER, consumerId);
        properties.put(PROPERTY_ORIGINAL_TOPIC, original.topic());
        properties.put(PROPERTY_FAILED_AT, failedAt.toString());
        return new BrokerMessage(deadLetterTopic(), properties, original.body());
    }
}
