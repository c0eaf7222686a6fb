package dev.cdc.bench.broker;

import dev.cdc.bench.Statistics;

/**
 * One timed run of {@code messages}: {@code nanos} from the first send to the last confirmation (publish) or to
 * the last acknowledgement (publish-to-consume); {@code publishNanos} from the first send to the last
 * confirmation in both. CPU time over the same window: the whole process (broker and clients), the sending
 * thread, and the consuming thread (0 when nothing consumed); -1 where the JVM cannot tell.
 */
public record Measurement(int messages, long nanos, long publishNanos, long processCpuNanos, long senderCpuNanos,
                          long consumerCpuNanos) {

    public double perSecond() {
        return Statistics.rate(messages, nanos);
    }

    public double publishPerSecond() {
        return Statistics.rate(messages, publishNanos);
    }

    public double processCpuMicrosPerMessage() {
        return Statistics.perMessageMicros(processCpuNanos, messages);
    }

    public double senderCpuMicrosPerMessage() {
        return Statistics.perMessageMicros(senderCpuNanos, messages);
    }

    public double consumerCpuMicrosPerMessage() {
        return Statistics.perMessageMicros(consumerCpuNanos, messages);
    }
}
