package dev.cdc.generator.output;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.MessageBus;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.generator.GeneratedMessage;
import java.io.IOException;
import java.time.Duration;

/**
 * Publishes generated messages to the broker through the {@link MessageBus} port. Closing waits until the broker
 * has confirmed every message, so "sent" means stored.
 */
public final class BrokerSink implements MessageSink {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofMinutes(2);

    private final MessageBus bus;
    private final DebeziumJsonCodec codec = new DebeziumJsonCodec();
    private long bytes;

    public BrokerSink(MessageBus bus) {
        this.bus = bus;
    }

    @Override
    public void send(GeneratedMessage message) throws IOException {
        var m = message.toBrokerMessage(codec);
        try {
            bus.publish(m);
        } catch (BrokerException e) {
            throw new IOException(e.getMessage(), e);
        }
        bytes += m.body().length;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public void close() throws IOException {
        try {
            bus.flush(CONFIRM_TIMEOUT);
        } catch (BrokerException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            try {
                bus.close();
            } catch (BrokerException e) {
                // the messages are confirmed or the flush failure above is what matters
                throw new IOException("closing the broker connection failed: " + e.getMessage(), e);
            }
        }
    }
}
