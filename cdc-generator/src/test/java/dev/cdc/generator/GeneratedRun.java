package dev.cdc.generator;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MalformedEventException;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.generator.output.JsonLinesFile;
import dev.cdc.generator.output.JsonLinesSink;
import dev.cdc.generator.output.MessageSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * Test support: one generator run written the way {@code ./cdc generate --out --truth} writes it (JSON-lines file
 * plus truth directory), read back message by message. Runs are cached per config for the whole test JVM, so the
 * test classes that look at the same run (replay, scenarios, the JsonConverter peer) pay for it once.
 */
final class GeneratedRun {

    private static final Map<GeneratorConfig, GeneratedRun> CACHE = new ConcurrentHashMap<>();
    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("cdc-generator-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(ROOT)));
    }

    final GeneratorConfig config;
    final Path file;
    final Path truthDir;
    final GeneratorRun.Summary summary;
    private SourceTruth truth;

    private GeneratedRun(GeneratorConfig config, Path file, Path truthDir, GeneratorRun.Summary summary) {
        this.config = config;
        this.file = file;
        this.truthDir = truthDir;
        this.summary = summary;
    }

    /** The run of {@code config}, generated on first use. */
    static GeneratedRun of(GeneratorConfig config) {
        return CACHE.computeIfAbsent(config, c -> {
            try {
                return generate(c, Files.createTempDirectory(ROOT, "run"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A fresh, uncached run into {@code dir}. */
    static GeneratedRun generate(GeneratorConfig config, Path dir) throws IOException {
        return generate(config, dir, m -> { });
    }

    /** A fresh, uncached run into {@code dir}; {@code tap} also sees every message as it is written. */
    static GeneratedRun generate(GeneratorConfig config, Path dir, Consumer<GeneratedMessage> tap) throws IOException {
        Path path = dir.resolve("events.jsonl");
        Path truthDir = dir.resolve("truth");
        JsonLinesSink out = JsonLinesSink.open(path);
        MessageSink tee = new MessageSink() {
            @Override
            public void send(GeneratedMessage message) throws IOException {
                out.send(message);
                tap.accept(message);
            }

            @Override
            public long bytes() {
                return out.bytes();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
        GeneratorRun.Summary summary = GeneratorRun.run(config, tee, truthDir, null);
        return new GeneratedRun(config, path, truthDir, summary);
    }

    synchronized SourceTruth truth() {
        if (truth == null) {
            try {
                truth = SourceTruth.read(truthDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return truth;
    }

    /** One message of the file: its place, the message, and either its decoded event or why it did not decode. */
    record Delivered(long index, BrokerMessage message, ChangeEvent event, MalformedEventException error) {
        String key() {
            return message.property(MessageProperties.KEY);
        }
    }

    private List<Delivered> delivered;

    /** Every message of the file, decoded, kept in memory: several test classes read the same run. */
    synchronized List<Delivered> delivered() {
        if (delivered == null) {
            List<Delivered> all = new ArrayList<>();
            forEach(all::add);
            delivered = Collections.unmodifiableList(all);
        }
        return delivered;
    }

    /** Reads the file in order, decoding every body with our codec. */
    void forEach(Consumer<Delivered> action) {
        forEach(index -> true, action);
    }

    /** Reads the file in order, decoding the bodies of the messages {@code decode} selects by index. */
    void forEach(LongPredicate decode, Consumer<Delivered> action) {
        DebeziumJsonCodec codec = new DebeziumJsonCodec();
        try (JsonLinesFile in = JsonLinesFile.open(file)) {
            long index = 0;
            while (in.hasNext()) {
                BrokerMessage m = in.next();
                if (!decode.test(index)) {
                    index++;
                    continue;
                }
                ChangeEvent event = null;
                MalformedEventException error = null;
                try {
                    event = codec.decode(m.body(), m.property(MessageProperties.KEY));
                } catch (MalformedEventException e) {
                    error = e;
                }
                action.accept(new Delivered(index++, m, event, error));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit: a leftover temp directory is harmless
        }
    }
}
