package dev.cdc.spark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's buffer against a real broker: bounded by bytes as well as by count, so large documents wait in the queue. */
class MessageBufferIT {

    private static final int BODY = 100_000;

    @TempDir
    Path dir;

    @Test
    void largeBodiesStayInTheQueueOnceTheBufferHoldsItsBytes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", port, dir.resolve("broker"), 256L << 20)) {
            QueueSpec queue = new QueueSpec("big", List.of(TopicSubscription.parse("cdc/oracle/>")), 5, "cdc.dead", 256L << 20);
            broker.provision(queue);
            try (AmqpMessageBus publisher = AmqpMessageBus.connect(AmqpEndpoint.local(port))) {
                for (int i = 0; i < 10; i++) {
                    byte[] body = new byte[BODY];
                    Arrays.fill(body, (byte) 'x');
                    publisher.publish(new BrokerMessage("cdc/oracle/S/T/insert", Map.of("cdc_key", "{\"ID\":" + i + "}"), body));
                }
                publisher.flush(Duration.ofSeconds(30));
            }
            BrokerSourceOptions options = BrokerSourceOptions.from(Map.of("host", "127.0.0.1", "port", Integer.toString(port),
                    "queue", ArtemisSubscriptions.consumerAddress(queue), "prefetch", "10",
                    "maxEventsPerTrigger", "100", "maxBytesPerTrigger", Integer.toString(2 * BODY + BODY / 2),
                    "maxBufferedBytes", Integer.toString(3 * BODY + BODY / 2)));
            AmqpMessageBus bus = AmqpMessageBus.connect(options.endpoint());
            try (MessageBuffer buffer = new MessageBuffer(options, bus, bus.consume(options.queue(), options.prefetch()))) {
                // received until the buffer holds 350 KB: four 100 KB bodies (each fill takes what has arrived)
                await().atMost(Duration.ofSeconds(30)).until(buffer::fill, n -> n >= 4);
                assertThat(buffer.fill()).isEqualTo(4);
                assertThat(buffer.batchEnd(0, 100, options.maxBytesPerTrigger())).as("a batch of at most 250 KB").isEqualTo(2);
                assertThat(buffer.batchEnd(0, 1, options.maxBytesPerTrigger())).as("and at most the events asked").isEqualTo(1);
                assertThat(buffer.batchEnd(3, 100, 1)).as("at least one message, however large").isEqualTo(4);
                assertThat(buffer.fill()).as("nothing more while nothing is acknowledged").isEqualTo(4);

                buffer.commit(2);
                await().atMost(Duration.ofSeconds(30)).until(buffer::fill, n -> n >= 6);
                assertThat(buffer.fill()).as("two acknowledged bodies made room for two more").isEqualTo(6);
                assertThat(buffer.range(2, 6)).extracting(MessagePartition.Message::sequence).containsExactly(3L, 4L, 5L, 6L);
            }
            assertThat(broker.depth(queue.name())).as("acknowledged ones are gone, the rest wait").isEqualTo(8);
        }
    }
}
