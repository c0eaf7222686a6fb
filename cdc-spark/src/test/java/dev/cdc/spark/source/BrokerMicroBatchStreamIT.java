package dev.cdc.spark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.broker.QueueLease;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's stream against a real broker, through what Spark calls on it, when the broker closes its consumer. */
class BrokerMicroBatchStreamIT {

    private static final int MESSAGES = 10;

    @TempDir
    Path dir;

    @Test
    void aConsumerTheBrokerDetachesIsReplacedAtTheNextTriggerAndItsMessagesComeAgain() throws Exception {
        int port = freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port, dir.resolve("broker"), 256L << 20)) {
            QueueSpec queue = new QueueSpec("spark.source", List.of(TopicSubscription.parse("cdc/oracle/>")), 5,
                    "cdc.dead", 256L << 20);
            broker.provision(queue);
            try (AmqpMessageBus publisher = publishChanges(port)) {
                // another consumer fails the first message: the broker counts that attempt, so it comes as a redelivery
                try (dev.cdc.broker.QueueConsumer other = publisher.consume(ArtemisSubscriptions.consumerAddress(queue), 1)) {
                    other.reject(other.receive(Duration.ofSeconds(10)));
                }
            }
            SourcePause.resume(); // as a query starting does: the switch is the JVM's, and a test before may have stopped one
            BrokerMicroBatchStream stream = new BrokerMicroBatchStream(BrokerSourceOptions.from(Map.of(
                    "host", "127.0.0.1", "port", Integer.toString(port),
                    "queue", ArtemisSubscriptions.consumerAddress(queue))), 2);
            dev.cdc.common.progress.ConsumerProgress.Source before = SourceCounts.jvm().snapshot();
            try {
                SequenceOffset start = new SequenceOffset(0);
                await("a batch of every message planned").atMost(Duration.ofSeconds(30))
                        .until(() -> sequence(stream.latestOffset(start, ReadLimit.allAvailable())) == MESSAGES);

                assertThat(broker.detachConsumers(queue.name())).isEqualTo(1);
                // Spark's triggers from here on, nothing committed: no exception for Spark to fail the query on, and
                // a new consumer gets the unacknowledged messages again (with new numbers)
                Set<String> again = new java.util.HashSet<>();
                long[] at = {MESSAGES};
                await("the unacknowledged messages planned again").atMost(Duration.ofSeconds(30)).until(() -> {
                    long next = sequence(stream.latestOffset(new SequenceOffset(at[0]), ReadLimit.allAvailable()));
                    again.addAll(bodies(stream.planInputPartitions(new SequenceOffset(at[0]), new SequenceOffset(next))));
                    at[0] = next;
                    return again.size() == MESSAGES;
                });
                assertThat(again).isEqualTo(IntStream.range(0, MESSAGES).mapToObj(i -> "change " + i)
                        .collect(Collectors.toSet()));
                // what the consumer's metrics say: every message came twice; redelivered is what the broker counts as
                // delivered before: the rejected message both times, while Artemis counts no attempt for what a
                // consumer it closed gives back
                dev.cdc.common.progress.ConsumerProgress.Source during = SourceCounts.jvm().snapshot();
                assertThat(during.received() - before.received()).isEqualTo(2L * MESSAGES);
                assertThat(during.redelivered() - before.redelivered()).isEqualTo(2);
                assertThat(during.unacknowledgedBytes()).as("the closed consumer's messages no longer count").isPositive()
                        .isLessThanOrEqualTo(before.unacknowledgedBytes() + MESSAGES * 64L);

                stream.commit(new SequenceOffset(at[0]));
                await("acknowledged by the new consumer").atMost(Duration.ofSeconds(30))
                        .until(() -> broker.depth(queue.name()) == 0);
                assertThat(SourceCounts.jvm().snapshot().acknowledged() - before.acknowledged()).isEqualTo(MESSAGES);
                assertThat(SourceCounts.jvm().snapshot().unacknowledgedBytes()).isEqualTo(before.unacknowledgedBytes());
            } finally {
                stream.stop();
            }
        }
    }

    @Test
    void onALeasedQueueASecondDriverAttachesNothingUntilTheFirstGoes() throws Exception {
        int port = freePort();
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port, dir.resolve("broker"), 256L << 20)) {
            QueueSpec queue = new QueueSpec("spark.leased", List.of(TopicSubscription.parse("cdc/oracle/>")), 5,
                    "cdc.dead", 256L << 20, QueueSpec.WhenFull.WAIT, QueueSpec.Access.LEASED);
            broker.provision(queue);
            publishChanges(port).close();
            SourcePause.resume();
            Map<String, String> options = Map.of("host", "127.0.0.1", "port", Integer.toString(port),
                    "queue", ArtemisSubscriptions.consumerAddress(queue), "lease", QueueLease.queueFor(queue.name()));
            BrokerMicroBatchStream first = new BrokerMicroBatchStream(BrokerSourceOptions.from(options), 2);
            BrokerMicroBatchStream second = new BrokerMicroBatchStream(BrokerSourceOptions.from(options), 2);
            try {
                SequenceOffset start = new SequenceOffset(0);
                await("the first driver holds the lease and plans every message").atMost(Duration.ofSeconds(30))
                        .until(() -> sequence(first.latestOffset(start, ReadLimit.allAvailable())) == MESSAGES);
                await("the second finds nothing, attached to nothing").during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(4))
                        .until(() -> sequence(second.latestOffset(start, ReadLimit.allAvailable())) == 0
                                && broker.consumers(queue.name()) == 1);
                assertThat(second.planInputPartitions(start, new SequenceOffset(MESSAGES)))
                        .as("a batch a restart replans, without the lease: nothing, and no consumer").isEmpty();
                assertThat(broker.consumers(queue.name())).isEqualTo(1);

                first.stop(); // nothing committed: the stop gives the lease and every message to the second
                await("the second takes over and plans every message").atMost(Duration.ofSeconds(30))
                        .until(() -> sequence(second.latestOffset(start, ReadLimit.allAvailable())) == MESSAGES);
                assertThat(bodies(second.planInputPartitions(start, new SequenceOffset(MESSAGES))))
                        .isEqualTo(IntStream.range(0, MESSAGES).mapToObj(i -> "change " + i).collect(Collectors.toSet()));
            } finally {
                first.stop();
                second.stop();
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Publishes "change 0" to "change 9", one row each; returns the publisher, still open. */
    private static AmqpMessageBus publishChanges(int port) throws Exception {
        AmqpMessageBus publisher = AmqpMessageBus.connect(AmqpEndpoint.local(port));
        for (int i = 0; i < MESSAGES; i++) {
            publisher.publish(new BrokerMessage("cdc/oracle/S/T/insert", Map.of("cdc_key", "{\"ID\":" + i + "}"),
                    ("change " + i).getBytes(StandardCharsets.UTF_8)));
        }
        publisher.flush(Duration.ofSeconds(30));
        return publisher;
    }

    private static long sequence(Object offset) {
        return ((SequenceOffset) offset).sequence();
    }

    private static Set<String> bodies(InputPartition[] partitions) {
        return Arrays.stream(partitions).flatMap(p -> ((MessagePartition) p).messages().stream())
                .map(m -> new String(m.body(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }
}
