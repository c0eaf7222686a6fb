package dev.cdc.common.dlq;

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
                         Instant failedAt) {

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
        UNDELIVERABLE
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

    /** The DLQ topic of the original's table ({@code cdc/dlq/SCHEMA/TABLE}); a topic that names none goes to UNKNOWN. */
    public String deadLetterTopic() {
        try {
            return TopicName.deadLetter(TopicName.parse(original.topic()).table()).toString();
        } catch (IllegalArgumentException e) {
            return TopicName.deadLetter(new TableId("UNKNOWN", "UNKNOWN")).toString();
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
