package dev.cdc.flink.job;

import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.event.BrokerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A dead letter on its way to the DLQ topic: the original message and why it failed (a POJO for Flink). */
public class DeadLetterRecord {

    public String topic;
    public Map<String, String> properties = new HashMap<>();
    public String body;
    public String errorType;
    public String errorMessage;
    public String consumerId;
    public long failedAtMs;

    public DeadLetterRecord() {
    }

    public static DeadLetterRecord of(BrokerMessage original, DeadLetter.ErrorType type, String message, String consumerId) {
        DeadLetterRecord r = new DeadLetterRecord();
        r.topic = original.topic();
        r.properties = new HashMap<>(original.properties());
        r.body = new String(original.body(), StandardCharsets.UTF_8);
        r.errorType = type.name();
        r.errorMessage = message;
        r.consumerId = consumerId;
        r.failedAtMs = System.currentTimeMillis();
        return r;
    }

    public DeadLetter toDeadLetter() {
        return new DeadLetter(new BrokerMessage(topic, properties, body.getBytes(StandardCharsets.UTF_8)),
                DeadLetter.ErrorType.valueOf(errorType), errorMessage, consumerId, Instant.ofEpochMilli(failedAtMs));
    }
}
