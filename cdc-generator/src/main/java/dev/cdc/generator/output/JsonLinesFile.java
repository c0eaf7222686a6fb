package dev.cdc.generator.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/** Reads a file written by {@link JsonLinesSink} back into broker messages, one at a time. */
public final class JsonLinesFile implements Iterator<BrokerMessage>, AutoCloseable {

    private final MappingIterator<JsonNode> lines;
    private final Path file;
    private long line;

    private JsonLinesFile(Path file) throws IOException {
        this.file = file;
        this.lines = DebeziumJsonCodec.mapper().readerFor(JsonNode.class).readValues(file.toFile());
    }

    public static JsonLinesFile open(Path file) throws IOException {
        return new JsonLinesFile(file);
    }

    @Override
    public boolean hasNext() {
        return lines.hasNext();
    }

    @Override
    public BrokerMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        JsonNode node = lines.next();
        line++;
        String topic = node.path("topic").asText(null);
        if (topic == null) {
            throw new IllegalStateException(file + " message " + line + ": no topic");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        node.path("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue().asText()));
        byte[] body;
        try {
            body = node.has("body") ? DebeziumJsonCodec.mapper().writeValueAsBytes(node.get("body"))
                    : node.path("body_text").asText("").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BrokerMessage(topic, properties, body);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
