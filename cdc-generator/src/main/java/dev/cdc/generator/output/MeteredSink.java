package dev.cdc.generator.output;

import dev.cdc.generator.GeneratedMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;

/**
 * A sink that counts what passes through it, in Prometheus' text format: events published per table and topic
 * level (insert, update, delete, snapshot; {@code other} for a topic outside the layout), bytes, send errors, and
 * how long handing one message to the sink took (the client waits there when the broker's confirmations lag, so
 * this is the publisher's backpressure; confirmation itself is asynchronous).
 */
public final class MeteredSink implements MessageSink {

    private final MessageSink sink;
    private final PrometheusMeterRegistry registry;
    private final Counter errors;
    private final Counter bytes;
    private final Timer send;

    public MeteredSink(MessageSink sink) {
        this(sink, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Counting into {@code registry}: several runs one after another (a benchmark's rates) add up there. */
    public MeteredSink(MessageSink sink, PrometheusMeterRegistry registry) {
        this.sink = sink;
        this.registry = registry;
        errors = Counter.builder("cdc_generator_send_errors").description("messages the sink refused").register(registry);
        bytes = Counter.builder("cdc_generator_published_bytes").description("bytes of the message bodies published")
                .register(registry);
        send = Timer.builder("cdc_generator_send").description("how long handing one message to the client took")
                .publishPercentileHistogram().register(registry);
    }

    @Override
    public void send(GeneratedMessage message) throws IOException {
        long before = sink.bytes();
        long started = System.nanoTime();
        try {
            sink.send(message);
        } catch (IOException | RuntimeException e) {
            errors.increment();
            throw e;
        }
        send.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        bytes.increment(sink.bytes() - before);
        String[] levels = message.topic().split("/", -1);
        boolean change = levels.length == 5 && levels[0].equals("cdc") && levels[1].equals("oracle");
        Counter.builder("cdc_generator_published_events").description("messages published, by table and topic level")
                .tag("table", change ? levels[2] + "." + levels[3] : "other").tag("op", change ? levels[4] : "other")
                .register(registry).increment();
    }

    @Override
    public long bytes() {
        return sink.bytes();
    }

    /** Everything, in Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() throws IOException {
        sink.close();
    }
}
