/**
 * The broker benchmark: our AMQP adapter against plain Qpid JMS on the same embedded broker, in the same run
 * ({@link dev.cdc.bench.broker.BrokerBenchmark} measures, {@link dev.cdc.bench.broker.BrokerReport} reports).
 */
package dev.cdc.bench.broker;
