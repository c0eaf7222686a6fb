package dev.cdc.flink.source;

import dev.cdc.common.event.BrokerMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * One broker message as the source emits it, undecoded: the topic it was published to, its string properties (the
 * row key {@code cdc_key}, the SCN {@code cdc_scn}, ...), the body as text (UTF-8 JSON), when its publisher sent it
 * (epoch milliseconds: the job's watermarks before decoding follow it) and when the reader received it (epoch
 * microseconds, for latency).
 *
 * <p>A Flink POJO like the job's other records (public no-argument constructor, public fields): Flink serializes
 * it field by field, the properties with its map serializer, never with Kryo (checked by a test). Flink 2.3 would
 * treat a Java record the same way; the public fields match the rest of the job.
 */
public class BrokerRecord {

    /** {@link #TYPE}'s serialization is Flink's POJO serializer. */
    public static final TypeInformation<BrokerRecord> TYPE = TypeInformation.of(BrokerRecord.class);

    public String topic;
    /** Never null once emitted. */
    public Map<String, String> properties;
    public String body;
    /** When its publisher sent it (the message's creation time, else when it was received), epoch milliseconds. */
    public long publishedAtMillis;
    /** When the source received it, epoch microseconds. */
    public long receivedAtMicros;

    public BrokerRecord() {
    }

    public BrokerRecord(String topic, Map<String, String> properties, String body, long publishedAtMillis,
                        long receivedAtMicros) {
        this.topic = topic;
        this.properties = properties;
        this.body = body;
        this.publishedAtMillis = publishedAtMillis;
        this.receivedAtMicros = receivedAtMicros;
    }

    /** The record of a received message. */
    public static BrokerRecord of(BrokerMessage message, long publishedAtMillis, long receivedAtMicros) {
        return new BrokerRecord(message.topic(), message.properties(), message.bodyText(), publishedAtMillis,
                receivedAtMicros);
    }

    public String property(String name) {
        return properties == null ? null : properties.get(name);
    }

    /** The message again, as the core's decoder and the dead-letter publisher take it. */
    public BrokerMessage toBrokerMessage() {
        return new BrokerMessage(topic, properties == null ? Map.of() : properties,
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "BrokerRecord[" + topic + " " + properties + " " + (body == null ? 0 : body.length()) + " chars]";
    }
}
