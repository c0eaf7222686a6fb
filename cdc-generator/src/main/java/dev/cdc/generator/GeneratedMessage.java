package dev.cdc.generator;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One message the generator sends: topic, properties, and either a change event (encoded by the sink) or, for the
 * malformed-JSON scenario, a raw body that is not an envelope.
 */
public record GeneratedMessage(String topic, Map<String, String> properties, ChangeEvent event, String rawBody) {

    public GeneratedMessage {
        if ((event == null) == (rawBody == null)) {
            throw new IllegalArgumentException("a generated message has an event or a raw body, not both");
        }
    }

    public BrokerMessage toBrokerMessage(DebeziumJsonCodec codec) {
        byte[] body = event != null ? codec.encode(event) : rawBody.getBytes(StandardCharsets.UTF_8);
        return new BrokerMessage(topic, properties, body);
    }
}
