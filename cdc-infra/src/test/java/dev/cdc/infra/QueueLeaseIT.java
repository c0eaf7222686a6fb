package dev.cdc.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.broker.QueueLease;
import dev.cdc.broker.QueueLease.State;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queue's lease on the real embedded broker: one job holds it, the next waits and takes over when the holder stops
 * or is killed; a broker restart does not cost the only job its lease; a holder whose token went to another job
 * while it was detached learns that it lost it.
 */
class QueueLeaseIT {

    private static final Duration HOLD = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    private int port;
    private EmbeddedBroker broker;
    private final List<AutoCloseable> open = new ArrayList<>();
    private String lease;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        broker = EmbeddedBroker.start("127.0.0.1", port, dataDir, 64L << 20);
        provision();
        lease = QueueLease.queueFor("cdc/oracle/SALES/*/>::q.leased");
    }

    private void provision() throws Exception {
        broker.provision(new QueueSpec("q.leased", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 5,
                "q.leased.dlq", 16 << 20, QueueSpec.WhenFull.WAIT, QueueSpec.Access.LEASED));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private QueueLease lease() throws Exception {
        AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(port));
        open.add(bus);
        QueueLease l = bus.lease(lease);
        open.add(l);
        return l;
    }

    @Test
    void oneJobHoldsTheLeaseAndTheNextTakesItOverWhenTheFirstStops() throws Exception {
        assertThat(lease).isEqualTo("q.leased.lease");
        QueueLease first = lease();
        await().atMost(HOLD).until(() -> first.state() == State.HELD); // the first lease puts the token there itself
        QueueLease second = lease();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> second.state() == State.WAITING && first.state() == State.HELD);
        assertThat(broker.figures(lease).messages()).as("the second put a token too: harmless, the holder gets it")
                .isEqualTo(2);
        first.close();
        await().atMost(HOLD).until(() -> second.state() == State.HELD);
        QueueLease third = lease();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> third.state() == State.WAITING);
    }

    @Test
    void aLeaseWhoseQueueIsNotThereYetWaitsAndIsHeldOnceItIs() throws Exception {
        String later = "q.later.lease";
        QueueLease early = lease();
        AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(port));
        open.add(bus);
        QueueLease waiting = bus.lease(later);
        open.add(waiting);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> waiting.state() == State.WAITING);
        broker.provision(new QueueSpec("q.later", List.of(TopicSubscription.parse("cdc/other/>")), 5,
                "q.later.dlq", 16 << 20, QueueSpec.WhenFull.WAIT, QueueSpec.Access.LEASED));
        await().atMost(Duration.ofSeconds(60)).until(() -> waiting.state() == State.HELD);
        assertThat(early.state()).as("the other queue's lease is its own").isEqualTo(State.HELD);
    }

    @Test
    void aKilledHoldersLeasePassesToTheJobWaiting() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LeaseHolder.class.getName(), String.valueOf(port), lease)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("held"));
            assertThat(line).as("the other JVM holds the lease").isEqualTo("held");
            QueueLease standby = lease();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> standby.state() == State.WAITING);
            holder.destroyForcibly(); // SIGKILL: no goodbye to the broker
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(HOLD).until(() -> standby.state() == State.HELD);
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aBrokerRestartDoesNotCostTheOnlyJobItsLease() throws Exception {
        QueueLease only = lease();
        await().atMost(HOLD).until(() -> only.state() == State.HELD);
        broker.close();
        broker = EmbeddedBroker.start("127.0.0.1", port, dataDir, 64L << 20);
        provision();
        // the token is durable: it comes back to the one consumer after the restart, within the lease's grace
        await().atMost(HOLD).until(() -> broker.figures(lease).delivering() == 1);
        await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(14)).until(() -> only.state() == State.HELD);
        assertThat(broker.figures(lease).messages()).as("no second token").isEqualTo(1);
    }

    @Test
    void aHolderWhoseTokenWentToAnotherJobKnowsItLostTheLease() throws Exception {
        QueueLease first = lease();
        await().atMost(HOLD).until(() -> first.state() == State.HELD);
        QueueLease second = lease();
        await().atMost(HOLD).until(() -> broker.consumers(lease) == 2);
        broker.detachConsumers(lease); // as an operator closing the lease's consumers: both consumers lose their link
        // both open new consumers; whichever comes first takes the token, the other must not go on as if it held it
        await().atMost(Duration.ofSeconds(30))
                .until(() -> first.state() == State.HELD ^ second.state() == State.HELD);
        QueueLease holder = first.state() == State.HELD ? first : second;
        QueueLease other = holder == first ? second : first;
        await().atMost(Duration.ofSeconds(30)).until(() -> other.state() != State.HELD);
        assertThat(holder.state()).isEqualTo(State.HELD);
    }
}
