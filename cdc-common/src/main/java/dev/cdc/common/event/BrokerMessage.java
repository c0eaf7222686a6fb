package dev.cdc.common.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message as it travels through the broker: topic, string properties and the body bytes (UTF-8 JSON).
 * Serializable: a dead letter found on a Spark executor travels back to the driver, which publishes it.
 */
public record BrokerMessage(String topic, Map<String, String> properties, byte[] body) implements java.io.Serializable {

    public BrokerMessage {
        Objects.requireNonNull(topic, "topic");
        properties = Map.copyOf(properties);
        Objects.requireNonNull(body, "body");
    }

    public String property(String name) {
        return properties.get(name);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BrokerMessage m && topic.equals(m.topic) && properties.equals(m.properties)
                && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, properties, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "BrokerMessage[" + topic + " " + properties + " " + body.length + " bytes]";
    }
}
