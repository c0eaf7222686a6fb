package dev.cdc.common.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Dead letters a consumer without a database (Architecture B) keeps on local disk when the broker does not take
 * them (its dead-letter queue is full, or it did not confirm in time): one JSON line per dead letter in
 * {@code DIR/NAME.jsonl}, written and synced before the consumer acknowledges the originals. {@code ./cdc dlq}
 * lists them and drains them into {@code cdc_dlq} (see {@link #drain}).
 *
 * <p>Writers and the drain share a file through an exclusive file lock: a writer appends under the lock, the drain
 * reads, records and truncates under it, so a dead letter appended while a drain runs is kept for the next one.
 * Each writer has its own name (one file per consumer task); two writers of one JVM must not share a name.
 */
public final class DeadLetterSpill {

    /** Format version of each line. */
    static final int VERSION = 1;
    private static final String SUFFIX = ".jsonl";

    private final Path file;

    public DeadLetterSpill(Path dir, String name) {
        if (!name.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("spill name \"" + name + "\": letters, digits, '.', '_' and '-' only");
        }
        this.file = dir.resolve(name + SUFFIX);
    }

    public Path file() {
        return file;
    }

    /** Appends and syncs the dead letters; when this returns they survive a crash. */
    public void append(List<DeadLetter> letters) throws IOException {
        if (letters.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (DeadLetter letter : letters) {
            lines.append(line(letter.toBrokerMessage())).append('\n');
        }
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
             var lock = channel.lock()) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    /** The spill files in a directory (none if it does not exist). */
    public static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
    }

    /** Reads the dead letters a spill file holds, without removing them. */
    public static List<DeadLetter> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             var lock = channel.lock(0, Long.MAX_VALUE, true)) {
            return parse(file, readAll(channel));
        }
    }

    /** What the drain does with the dead letters of one file before they are removed from it. */
    @FunctionalInterface
    public interface Recorder {
        /** Records them durably; a failure leaves the file untouched. */
        void record(List<DeadLetter> letters) throws Exception;
    }

    /**
     * Hands a file's dead letters to {@code recorder} and empties the file only when that returned, all under the
     * file's lock: a crash or failure in between keeps them (the next drain records them again, which the recorder
     * must tolerate).
     *
     * @return how many were recorded
     */
    public static int drain(Path file, Recorder recorder) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             var lock = channel.lock()) {
            List<DeadLetter> letters = parse(file, readAll(channel));
            if (!letters.isEmpty()) {
                recorder.record(letters);
            }
            channel.truncate(0);
            channel.force(true);
            return letters.size();
        }
    }

    private static String readAll(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(channel.size()));
        long at = 0;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                break;
            }
            at += read;
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    static String line(BrokerMessage m) {
        ObjectNode node = DebeziumJsonCodec.mapper().createObjectNode();
        node.put("v", VERSION);
        node.put("topic", m.topic());
        ObjectNode properties = node.putObject("properties");
        m.properties().forEach(properties::put);
        node.put("body", Base64.getEncoder().encodeToString(m.body()));
        return node.toString();
    }

    private static List<DeadLetter> parse(Path file, String text) throws IOException {
        List<DeadLetter> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (i == lines.length - 1 && !text.endsWith("\n")) {
                // a line cut by a crash mid-append: its letters were not confirmed to the consumer, which retried them
                continue;
            }
            JsonNode node = DebeziumJsonCodec.mapper().readTree(line);
            int version = node.path("v").asInt(-1);
            if (version != VERSION) {
                throw new IOException(file + " line " + (i + 1) + ": spill format version " + version
                        + ", this version reads " + VERSION);
            }
            Map<String, String> properties = new LinkedHashMap<>();
            node.path("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue().asText()));
            BrokerMessage m = new BrokerMessage(node.path("topic").asText(), properties,
                    Base64.getDecoder().decode(node.path("body").asText()));
            out.add(DeadLetter.fromBrokerMessage(m, file.toString(), Instant.now()));
        }
        return out;
    }
}
