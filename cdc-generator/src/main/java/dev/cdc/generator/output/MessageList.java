package dev.cdc.generator.output;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.generator.GeneratedMessage;
import java.util.ArrayList;
import java.util.List;

/** Keeps the generated messages in memory, as a consumer would receive them (for tests and benchmarks). */
public final class MessageList implements MessageSink {

    private final DebeziumJsonCodec codec = new DebeziumJsonCodec();
    private final List<BrokerMessage> messages = new ArrayList<>();

    @Override
    public void send(GeneratedMessage message) {
        messages.add(message.toBrokerMessage(codec));
    }

    public List<BrokerMessage> messages() {
        return messages;
    }

    @Override
    public void close() {
        // nothing held open
    }
}
