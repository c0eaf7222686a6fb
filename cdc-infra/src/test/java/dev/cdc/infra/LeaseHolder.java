package dev.cdc.infra;

import dev.cdc.broker.QueueLease;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;

/**
 * A job's lease in a JVM of its own, for {@link QueueLeaseIT} to kill: takes the lease of {@code args[1]} on the
 * broker at port {@code args[0]}, prints "held" once it holds it, and keeps it until killed.
 */
public final class LeaseHolder {

    public static void main(String[] args) throws Exception {
        AmqpMessageBus bus = AmqpMessageBus.connect(AmqpEndpoint.local(Integer.parseInt(args[0])));
        QueueLease lease = bus.lease(args[1]);
        while (lease.state() != QueueLease.State.HELD) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
        System.out.println("held");
        System.out.flush();
        System.in.read(); // until killed (or its stdin closes)
        lease.close();
        bus.close();
    }
}
