package dev.cdc.broker.provisioning;

import dev.cdc.broker.BrokerException;

/** Creates or updates durable queues and their subscriptions. Idempotent: provisioning twice changes nothing. */
public interface QueueProvisioner {

    void provision(QueueSpec queue) throws BrokerException;
}
