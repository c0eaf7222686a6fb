package dev.cdc.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.QueueLease;
import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.broker.provisioning.TopicSubscription;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import dev.cdc.common.progress.ConsumerProgress;
import dev.cdc.flink.source.reader.ReaderProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker source in a real Flink mini-cluster (parallelism 2: two competing consumers) against the real embedded
 * Artemis over AMQP: every message arrives, and the broker forgets a message only once a checkpoint covering it has
 * completed.
 */
class BrokerSourceIT {

    private static final int MESSAGES = 3_000;
    private static final String[] TABLES = {"ORDERS", "ORDER_ITEMS", "CUSTOMERS"};

    @TempDir
    Path dir;

    private int port;
    private EmbeddedBroker broker;
    private QueueSpec queue;
    private final List<JobClient> jobs = new ArrayList<>();

    @BeforeEach
    void startBroker() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        broker = EmbeddedBroker.start("127.0.0.1", port, dir.resolve("broker"), 256L << 20);
        queue = new QueueSpec("flink.source", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 5, "flink.dead",
                256L << 20);
        broker.provision(queue);
    }

    @AfterEach
    void stop() throws Exception {
        for (JobClient job : List.copyOf(jobs)) {
            cancel(job);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyMessageArrivesAndIsAcknowledgedOnceACheckpointCompletes() throws Exception {
        ConsumerProgress.Source before = ReaderProgress.jvm().snapshot();
        publish(0, MESSAGES);
        JobClient job = start("all", source(), 300);
        RecordingSinkDouble.Recorded got = RecordingSinkDouble.of("all");
        await("every message received").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> got.distinct.size() == MESSAGES);
        await("the queue empty once checkpoints completed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> broker.depth(queue.name()) == 0);
        assertThat(got.distinct).isEqualTo(bodies(0, MESSAGES));
        assertThat(got.writes.get()).as("nothing twice without a failure").isEqualTo(MESSAGES);
        assertThat(got.writersOpened.get()).as("no failover").isEqualTo(2);
        // the readers' counts, as the consumer's progress and metrics show them
        await("the acknowledgements counted").atMost(Duration.ofSeconds(10))
                .until(() -> ReaderProgress.jvm().snapshot().acknowledged() - before.acknowledged() == MESSAGES);
        ConsumerProgress.Source after = ReaderProgress.jvm().snapshot();
        assertThat(after.received() - before.received()).isEqualTo(MESSAGES);
        assertThat(after.redelivered() - before.redelivered()).isZero();
        assertThat(after.unacknowledgedBytes()).as("nothing held once acknowledged").isEqualTo(before.unacknowledgedBytes());
        assertThat(after.lastCheckpointMillis()).as("a checkpoint's duration, snapshot to completion").isNotNegative();
        cancel(job);
    }

    @Test
    void withoutACheckpointNothingIsAcknowledgedAndACancelledJobsMessagesComeAgain() throws Exception {
        publish(0, MESSAGES);
        JobClient job = start("unchecked", source(), 0);
        RecordingSinkDouble.Recorded got = RecordingSinkDouble.of("unchecked");
        await("every message received").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> got.distinct.size() == MESSAGES);
        await("nothing acknowledged while the job runs").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> broker.depth(queue.name()) == MESSAGES);
        cancel(job);
        assertThat(drain()).as("all redelivered to a new consumer").isEqualTo(bodies(0, MESSAGES));
    }

    @Test
    void aJobCancelledMidStreamAndStartedAgainLosesNothing() throws Exception {
        publish(0, MESSAGES);
        // a small unacknowledged limit keeps the first run well short of the end when it is cancelled
        int limit = 100;
        JobClient first = start("first", source().withMaxMessagesPerFetch(50).withMaxUnacknowledged(limit), 300);
        RecordingSinkDouble.Recorded before = RecordingSinkDouble.of("first");
        await("a third received").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> before.distinct.size() >= MESSAGES / 3);
        cancel(first);
        long left = broker.depth(queue.name());
        assertThat(left).as("mid-stream: some acknowledged, some not").isPositive().isLessThan(MESSAGES);

        start("second", source(), 300);
        RecordingSinkDouble.Recorded after = RecordingSinkDouble.of("second");
        await("the rest received and acknowledged").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> broker.depth(queue.name()) == 0 && union(before, after).size() == MESSAGES);
        assertThat(union(before, after)).isEqualTo(bodies(0, MESSAGES));
        assertThat((long) after.distinct.size()).as("what the first run left").isGreaterThanOrEqualTo(left);
        assertThat(before.writes.get() + after.writes.get() - MESSAGES)
                .as("duplicates: only what the first run emitted after its last completed checkpoint")
                .isBetween(0, 2 * limit);
    }

    @Test
    void afterAFailoverTheRestartedReadersGetTheirSplitsAgainAndNothingIsLost() throws Exception {
        publish(0, MESSAGES);
        start("failover", source(), 300, RecordingSinkDouble.failingOnceAfter("failover", MESSAGES / 3));
        RecordingSinkDouble.Recorded got = RecordingSinkDouble.of("failover");
        await("everything received and acknowledged").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> broker.depth(queue.name()) == 0 && got.distinct.size() == MESSAGES);
        assertThat(got.failed).as("the sink failed once").isTrue();
        assertThat(got.writersOpened.get()).as("a failed-over subtask opened a new writer").isGreaterThan(2);
        assertThat(got.distinct).isEqualTo(bodies(0, MESSAGES));
    }

    @Test
    void theSourceRidesOutABrokerRestartWithoutAFailover() throws Exception {
        ridesOutWithoutAFailover("restart", () -> {
            broker.close();
            broker = EmbeddedBroker.start("127.0.0.1", port, dir.resolve("broker"), 256L << 20);
            broker.provision(queue);
        });
    }

    @Test
    void aReaderWhoseConsumerTheBrokerDetachesAttachesAgainWithoutAFailover() throws Exception {
        ridesOutWithoutAFailover("detached",
                () -> assertThat(broker.detachConsumers(queue.name())).as("both readers' consumers").isEqualTo(2));
    }

    /** A broker-side fault once some messages arrived, then more published: all arrive, the job never fails over. */
    private void ridesOutWithoutAFailover(String run, BrokerFault fault) throws Exception {
        publish(0, MESSAGES / 2);
        start(run, source(), 300);
        RecordingSinkDouble.Recorded got = RecordingSinkDouble.of(run);
        await("some received").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> got.distinct.size() >= 100);
        fault.happen();
        publish(MESSAGES / 2, MESSAGES);
        await("everything received and acknowledged").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(List.of(broker.depth(queue.name()), got.distinct.size(),
                        broker.consumers(queue.name()))).as("depth, received, consumers (both readers attached)")
                        .isEqualTo(List.of(0L, MESSAGES, 2)));
        assertThat(got.distinct).isEqualTo(bodies(0, MESSAGES));
        assertThat(got.writersOpened.get()).as("the job never failed over").isEqualTo(2);
    }

    private interface BrokerFault {
        void happen() throws Exception;
    }

    @Test
    void twoReadersShareTheQueueAndEachRowsChangesReachOneOfThemInOrder() throws Exception {
        // both readers attached first: a message group (a bucket of row keys) belongs to the reader it is first sent to
        start("ordered", source().withMaxMessagesPerFetch(20), 300);
        await("both readers attached").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> broker.consumers(queue.name()) == 2);
        // 60 rows, 50 changes each, interleaved across rows as a busy source commits them
        int rows = 60;
        int changes = 50;
        try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(port))) {
            for (int c = 0; c < changes; c++) {
                for (int r = 0; r < rows; r++) {
                    int scn = c * rows + r;
                    bus.publish(new BrokerMessage("cdc/oracle/SALES/ORDERS/" + (c == 0 ? "insert" : "update"),
                            Map.of(MessageProperties.KEY, "{\"ORDER_ID\":" + r + "}", MessageProperties.SCN,
                                    Integer.toString(scn)), body(scn).getBytes(StandardCharsets.UTF_8)));
                }
            }
            bus.flush(Duration.ofSeconds(30));
        }
        RecordingSinkDouble.Recorded got = RecordingSinkDouble.of("ordered");
        await("every change received").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> got.distinct.size() == rows * changes);

        assertThat(got.readersByKey.values().stream().flatMap(Set::stream).distinct())
                .as("both readers took a share").containsExactlyInAnyOrder(0, 1);
        got.readersByKey.forEach((key, readers) -> assertThat(readers).as("readers of row %s", key).hasSize(1));
        got.scnsByKey.forEach((key, scns) -> assertThat(scns).as("changes of row %s", key).isSorted().hasSize(changes));
    }

    @Test
    void onALeasedQueueASecondJobWaitsAsAStandbyAndTakesOverWhenTheFirstGoes() throws Exception {
        QueueSpec leased = new QueueSpec("flink.leased", List.of(TopicSubscription.parse("cdc/oracle/SALES/>")), 5,
                "flink.dead", 256L << 20, QueueSpec.WhenFull.WAIT, QueueSpec.Access.LEASED);
        broker.provision(leased); // the other queue takes copies too; nobody reads it
        queue = leased;
        BrokerSourceConfig source = source().withLease(QueueLease.queueFor(queue.name()));
        JobClient first = start("leased-first", source, 300);
        await("both readers of the first job attached").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> broker.consumers(queue.name()) == 2);
        JobClient second = start("leased-second", source, 300);
        RecordingSinkDouble.Recorded firstGot = RecordingSinkDouble.of("leased-first");
        RecordingSinkDouble.Recorded secondGot = RecordingSinkDouble.of("leased-second");
        publish(0, MESSAGES);
        await("every message to the first job").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> firstGot.distinct.size() == MESSAGES);
        assertThat(firstGot.readersByKey.values().stream().flatMap(Set::stream).distinct())
                .as("the first job's two readers shared the queue").containsExactlyInAnyOrder(0, 1);
        assertThat(secondGot.writes.get()).as("the standby job received nothing").isZero();
        assertThat(broker.consumers(queue.name())).as("the standby's readers are not even attached").isEqualTo(2);
        await("the first job's checkpoints acknowledged everything").atMost(Duration.ofSeconds(30))
                .until(() -> broker.depth(queue.name()) == 0);

        cancel(first);
        publish(MESSAGES, MESSAGES + 300);
        await("the second job takes over").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> secondGot.distinct.size() == 300);
        assertThat(secondGot.distinct).isEqualTo(bodies(MESSAGES, MESSAGES + 300));
        cancel(second);
    }

    private BrokerSourceConfig source() {
        return BrokerSourceConfig.of(AmqpEndpoint.local(port), ArtemisSubscriptions.consumerAddress(queue))
                .withPrefetch(200);
    }

    private JobClient start(String run, BrokerSourceConfig source, long checkpointMillis) throws Exception {
        return start(run, source, checkpointMillis, new RecordingSinkDouble(run));
    }

    private JobClient start(String run, BrokerSourceConfig source, long checkpointMillis, RecordingSinkDouble sink)
            throws Exception {
        Configuration flink = new Configuration();
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        flink.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        flink.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        flink.set(TaskManagerOptions.HOST, "127.0.0.1");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, flink);
        if (checkpointMillis > 0) {
            env.enableCheckpointing(checkpointMillis);
        }
        env.fromSource(new BrokerSource(source), WatermarkStrategy.noWatermarks(), "broker")
                .sinkTo(sink).name("record");
        JobClient job = env.executeAsync(run);
        jobs.add(job);
        return job;
    }

    /** Cancels the job and waits until it has stopped (its consumers closed). */
    private void cancel(JobClient job) throws Exception {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException alreadyDone) {
            // it ended before: nothing to cancel
        }
        try {
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException cancelled) {
            // the expected end of a cancelled job
        }
        jobs.remove(job);
    }

    private void publish(int from, int to) throws BrokerException {
        try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(port))) {
            for (int i = from; i < to; i++) {
                String table = TABLES[i % TABLES.length];
                bus.publish(new BrokerMessage("cdc/oracle/SALES/" + table + "/insert",
                        Map.of(MessageProperties.KEY, "{\"ID\":" + i + "}", MessageProperties.SCN, Integer.toString(i)),
                        body(i).getBytes(StandardCharsets.UTF_8)));
            }
            bus.flush(Duration.ofSeconds(30));
        }
    }

    /** What a new consumer on the queue receives until it stays quiet, acknowledging nothing. */
    private Set<String> drain() throws BrokerException {
        Set<String> got = new HashSet<>();
        try (AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(port));
             QueueConsumer consumer = bus.consume(ArtemisSubscriptions.consumerAddress(queue), 500)) {
            for (ReceivedMessage m = consumer.receive(Duration.ofSeconds(10)); m != null;
                 m = consumer.receive(Duration.ofSeconds(1))) {
                got.add(m.message().bodyText());
            }
        }
        return got;
    }

    private static String body(int i) {
        return "{\"n\":" + i + "}";
    }

    private static Set<String> bodies(int from, int to) {
        return IntStream.range(from, to).mapToObj(BrokerSourceIT::body).collect(Collectors.toSet());
    }

    private static Set<String> union(RecordingSinkDouble.Recorded a, RecordingSinkDouble.Recorded b) {
        Set<String> all = new HashSet<>(a.distinct);
        all.addAll(b.distinct);
        return all;
    }
}
