package dev.cdc.bench.broker;

import dev.cdc.broker.BrokerException;
import jakarta.jms.JMSException;
import java.time.Duration;

/**
 * A client whose throughput is measured. Both sides do the same work per message (see {@link BrokerBenchmark}):
 * publish {@code n} persistent messages to {@link BrokerBenchmark#TOPIC}, or publish them while a consumer of the
 * benchmark queue receives and acknowledges each. The queue is empty before each call; emptying it after is the
 * benchmark's job.
 */
interface BrokerClient extends AutoCloseable {

    /** How long a consumer waits in one receive before it looks at its deadline. */
    Duration POLL = Duration.ofSeconds(1);

    /** Publishes {@code n} messages; timed from the first send to the last confirmation. */
    Measurement publish(int n) throws Exception;

    /** Publishes {@code n} messages while a consumer takes them; timed from the first send to the last acknowledgement. */
    Measurement publishConsume(int n) throws Exception;

    /** Closes the client's connections (narrower than {@link AutoCloseable#close}: no interrupt to pass on). */
    @Override
    void close() throws JMSException, BrokerException;

    /** How long {@code n} messages may take before a measurement gives up. */
    static Duration deadline(int n) {
        return Duration.ofSeconds(60).plusMillis(5L * n);
    }
}
