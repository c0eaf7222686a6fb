package dev.cdc.generator.output;

import dev.cdc.generator.GeneratedMessage;
import java.io.IOException;

/** Where generated messages go: a JSON-lines file now, the broker through the messaging port later. */
public interface MessageSink extends AutoCloseable {

    void send(GeneratedMessage message) throws IOException;

    /** Bytes written so far, for progress; 0 when unknown. */
    default long bytes() {
        return 0;
    }

    @Override
    void close() throws IOException;
}
