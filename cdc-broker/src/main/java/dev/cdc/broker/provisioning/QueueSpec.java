package dev.cdc.broker.provisioning;

import java.util.ArrayList;
import java.util.List;

/**
 * A durable queue as the pipeline needs it: the topics it attracts, how many delivery attempts a message gets
 * before it moves to the dead-message queue, its quota (spool limit), and what a publish meets past the quota.
 */
public record QueueSpec(String name, List<TopicSubscription> subscriptions, int maxDeliveryAttempts,
                        String deadMessageQueue, long quotaBytes, WhenFull whenFull, Access access) {

    /** Who receives: Solace's access type. */
    public enum Access {
        /** Consumers compete: each message goes to one of them (a row's changes to one, by message group). */
        NON_EXCLUSIVE,
        /**
         * One consumer receives everything; others wait as hot standbys and take over when it goes. For a consumer
         * whose state must see every row (the Flink job's join): a second job with the same queue can't split it.
         */
        EXCLUSIVE,
        /**
         * Consumers compete, but only those of the job that holds the queue's lease ({@code <name>.lease}, see
         * {@link dev.cdc.broker.QueueLease}); a second job waits as a hot standby. For a job with several readers
         * whose state must see every row (the Flink join), and for a single consumer alike.
         */
        LEASED
    }

    public QueueSpec(String name, List<TopicSubscription> subscriptions, int maxDeliveryAttempts,
                     String deadMessageQueue, long quotaBytes, WhenFull whenFull) {
        this(name, subscriptions, maxDeliveryAttempts, deadMessageQueue, quotaBytes, whenFull, Access.NON_EXCLUSIVE);
    }

    /** What a publisher meets when the queue is at its quota. */
    public enum WhenFull {
        /** The publisher waits until there is room: backpressure, for the change events. */
        WAIT,
        /**
         * The broker goes on taking messages and keeps them on disk past the quota (the embedded broker pages them);
         * the quota becomes the alert threshold. For the dead letters, whose publishers must never stall. Solace has
         * no such mode: its full queue refuses (NACKs) the publish, and the publisher keeps what was refused.
         */
        PAGE
    }

    /** A queue whose publishers wait when it is full. */
    public QueueSpec(String name, List<TopicSubscription> subscriptions, int maxDeliveryAttempts,
                     String deadMessageQueue, long quotaBytes) {
        this(name, subscriptions, maxDeliveryAttempts, deadMessageQueue, quotaBytes, WhenFull.WAIT, Access.NON_EXCLUSIVE);
    }

    public QueueSpec {
        List<String> problems = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,199}")) {
            problems.add("queue name \"" + name + "\": letters, digits, '.', '_' and '-', at most 200");
        }
        if (subscriptions == null || subscriptions.isEmpty()) {
            problems.add("queue " + name + ": at least one topic subscription");
        }
        if (maxDeliveryAttempts < 1) {
            problems.add("queue " + name + ": max delivery attempts must be at least 1, was " + maxDeliveryAttempts);
        }
        if (deadMessageQueue == null || deadMessageQueue.equals(name)) {
            problems.add("queue " + name + ": needs a dead-message queue other than itself");
        }
        if (quotaBytes < 1024 * 1024) {
            problems.add("queue " + name + ": quota must be at least 1 MB, was " + quotaBytes + " bytes");
        }
        if (whenFull == null) {
            problems.add("queue " + name + ": when-full must be one of " + java.util.Arrays.toString(WhenFull.values()));
        }
        if (access == null) {
            problems.add("queue " + name + ": access must be one of " + java.util.Arrays.toString(Access.values()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        subscriptions = List.copyOf(subscriptions);
    }
}
