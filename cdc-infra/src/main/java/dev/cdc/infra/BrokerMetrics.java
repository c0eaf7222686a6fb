package dev.cdc.infra;

import dev.cdc.broker.provisioning.QueueSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The embedded broker's queues in Prometheus' text format, read from the broker at each scrape: per queue (label
 * {@code queue}) the messages waiting and their bytes against the quota, consumers, messages in delivery, and the
 * counts since the broker started of messages enqueued, acknowledged and moved to the dead-message queue (rates
 * are Prometheus' {@code rate()} of those). The provisioned queues and their dead-message queues are covered.
 */
public final class BrokerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<EmbeddedBroker> broker;

    public BrokerMetrics(EmbeddedBroker broker, List<QueueSpec> queues) {
        this(() -> broker, queues);
    }

    /** For a broker that may be stopped and started again (a scenario's outage): NaN while there is none. */
    public BrokerMetrics(Supplier<EmbeddedBroker> broker, List<QueueSpec> queues) {
        this.broker = broker; // held here: Micrometer keeps only a weak reference to what a gauge reads
        Set<String> names = new LinkedHashSet<>();
        for (QueueSpec q : queues) {
            names.add(q.name());
            names.add(q.deadMessageQueue());
        }
        for (String queue : names) {
            Tags tags = Tags.of("queue", queue);
            gauge(broker, queue, "cdc_broker_queue_messages", "messages waiting in the queue", tags,
                    EmbeddedBroker.QueueFigures::messages);
            gauge(broker, queue, "cdc_broker_queue_bytes", "bytes of the messages the queue holds", tags,
                    EmbeddedBroker.QueueFigures::bytes);
            Gauge.builder("cdc_broker_queue_quota_bytes", broker, b -> b.get() == null ? Double.NaN : b.get().quota(queue))
                    .description("the queue's quota (0: none); past 80% a paging queue is an alert").tags(tags)
                    .register(registry);
            gauge(broker, queue, "cdc_broker_queue_consumers", "consumers attached", tags,
                    EmbeddedBroker.QueueFigures::consumers);
            gauge(broker, queue, "cdc_broker_queue_delivering_messages", "messages delivered and not yet acknowledged",
                    tags, EmbeddedBroker.QueueFigures::delivering);
            counter(broker, queue, "cdc_broker_queue_enqueued_messages", "messages added since the broker started",
                    tags, EmbeddedBroker.QueueFigures::enqueued);
            counter(broker, queue, "cdc_broker_queue_acknowledged_messages", "messages acknowledged since the broker"
                    + " started", tags, EmbeddedBroker.QueueFigures::acknowledged);
            counter(broker, queue, "cdc_broker_queue_redelivered_messages", "deliveries of messages the broker had"
                    + " delivered before (a rejected message, a crashed consumer's) since it started", tags,
                    EmbeddedBroker.QueueFigures::redelivered);
            counter(broker, queue, "cdc_broker_queue_dead_messages", "messages moved to the dead-message queue after"
                    + " their delivery attempts, or expired, since the broker started", tags,
                    EmbeddedBroker.QueueFigures::dead);
        }
    }

    /** Everything, in Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    private void gauge(Supplier<EmbeddedBroker> broker, String queue, String name, String help, Tags tags,
                       ToDoubleFunction<EmbeddedBroker.QueueFigures> value) {
        Gauge.builder(name, broker, b -> figure(b, queue, value)).description(help).tags(tags).register(registry);
    }

    private void counter(Supplier<EmbeddedBroker> broker, String queue, String name, String help, Tags tags,
                         ToDoubleFunction<EmbeddedBroker.QueueFigures> value) {
        FunctionCounter.builder(name, broker, b -> figure(b, queue, value)).description(help).tags(tags)
                .register(registry);
    }

    private static double figure(Supplier<EmbeddedBroker> broker, String queue,
                                 ToDoubleFunction<EmbeddedBroker.QueueFigures> value) {
        EmbeddedBroker b = broker.get();
        EmbeddedBroker.QueueFigures f = b == null ? null : b.figures(queue);
        return f == null ? Double.NaN : value.applyAsDouble(f);
    }
}
