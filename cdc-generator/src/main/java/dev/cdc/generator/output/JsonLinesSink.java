package dev.cdc.generator.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.generator.GeneratedMessage;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes one broker message per line: {@code {"topic":"...","properties":{...},"body":{...}}}, the body being the
 * Debezium envelope itself (not a string), so the file reads with {@code jq}. A body that is not JSON (the
 * malformed-JSON scenario) is written as the string {@code "body_text"} instead. Properties are in name order.
 */
public final class JsonLinesSink implements MessageSink {

    private final CountingStream counter;
    private final JsonGenerator gen;
    private final DebeziumJsonCodec codec = new DebeziumJsonCodec();

    public JsonLinesSink(OutputStream out) throws IOException {
        this.counter = new CountingStream(out instanceof BackgroundFileWriter ? out : new BufferedOutputStream(out, 1 << 16));
        this.gen = DebeziumJsonCodec.jsonFactory().createGenerator(counter, JsonEncoding.UTF8);
        gen.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    }

    public static JsonLinesSink open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new JsonLinesSink(new BackgroundFileWriter(Files.newOutputStream(file), "jsonl-writer"));
    }

    @Override
    public void send(GeneratedMessage m) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("topic", m.topic());
        gen.writeObjectFieldStart("properties");
        for (Map.Entry<String, String> p : new TreeMap<>(m.properties()).entrySet()) {
            gen.writeStringField(p.getKey(), p.getValue());
        }
        gen.writeEndObject();
        if (m.event() != null) {
            gen.writeFieldName("body");
            codec.write(m.event(), gen);
        } else {
            gen.writeStringField("body_text", m.rawBody());
        }
        gen.writeEndObject();
    }

    @Override
    public long bytes() {
        return counter.count;
    }

    @Override
    public void close() throws IOException {
        gen.writeRaw('\n');
        gen.close();
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
