package dev.cdc.common.codec;

import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.MessageProperties;

/**
 * A broker message with its decoded change, or the reason it could not be decoded. Engines decode where it is
 * cheapest (Spark's executors, Flink's source) and hand both on, so a dead letter always carries the original.
 *
 * @param event the change, or null when {@code error} is set
 * @param error why the body is not a Debezium change, or null
 */
public record DecodedMessage(BrokerMessage original, ChangeEvent event, String error) {

    public static DecodedMessage decode(DebeziumJsonCodec codec, BrokerMessage message) {
        try {
            return new DecodedMessage(message, codec.decode(message.body(), message.property(MessageProperties.KEY)), null);
        } catch (MalformedEventException e) {
            return new DecodedMessage(message, null, e.getMessage());
        }
    }

    public boolean malformed() {
        return event == null;
    }
}
