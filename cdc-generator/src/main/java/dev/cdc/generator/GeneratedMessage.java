package dev.cdc.generator;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One message the generator sends: topic, properties, and either a change event (encoded by the sink) or, for the
 * malformed-JSON scenario, a raw body that is not an envelope.
 *
 * @param resent a deliberate re-send of a message already sent (the late-duplicates scenario): the same change
 *               again, which the truth counts once
 */
public record GeneratedMessage(String topic, Map<String, String> properties, ChangeEvent event, String rawBody,
                               boolean resent) {

    public GeneratedMessage {
        if ((event == null) == (rawBody == null)) {
            throw new IllegalArgumentException("a generated message has an event or a raw body, not both");
        }
    }

    /** A first sending. */
    public GeneratedMessage(String topic, Map<String, String> properties, ChangeEvent event, String rawBody) {
        this(topic, properties, event, rawBody, false);
    }

    /** This message sent again. */
    public GeneratedMessage resend() {
        return new GeneratedMessage(topic, properties, event, rawBody, true);
    }

    public BrokerMessage toBrokerMessage(DebeziumJsonCodec codec) {
        byte[] body = event != null ? codec.encode(event) : rawBody.getBytes(StandardCharsets.UTF_8);
        return new BrokerMessage(topic, properties, body);
    }
}
