package dev.cdc.bench.broker;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.QueueConsumer;
import dev.cdc.broker.ReceivedMessage;
import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import java.util.List;
import java.util.Map;

/** What is judged: our {@link AmqpMessageBus}, publishing and consuming through its own API. */
final class AdapterClient implements BrokerClient {

    private final AmqpMessageBus bus;
    private final String consumerAddress;
    private final int prefetch;
    private final BenchMessages messages;

    /** Connects as {@link AmqpEndpoint#local} does, with the benchmark's in-flight window. */
    AdapterClient(int port, int inFlight, int prefetch, String consumerAddress, BenchMessages messages)
            throws BrokerException {
        AmqpEndpoint local = AmqpEndpoint.local(port);
        this.bus = AmqpMessageBus.connect(new AmqpEndpoint(local.host(), local.port(), null, null, inFlight,
                local.initialReconnectDelay(), local.maxReconnectDelay(), local.sendTimeout()));
        this.consumerAddress = consumerAddress;
        this.prefetch = prefetch;
        this.messages = messages;
    }

    @Override
    public Measurement publish(int n) throws Exception {
        long cpu = Cpu.process();
        long senderCpu = Cpu.thread();
        long start = System.nanoTime();
        send(n);
        bus.flush(BrokerClient.deadline(n));
        long nanos = System.nanoTime() - start;
        return new Measurement(n, nanos, nanos, Cpu.since(cpu, Cpu.process()), Cpu.since(senderCpu, Cpu.thread()), 0);
    }

    @Override
    public Measurement publishConsume(int n) throws Exception {
        try (QueueConsumer consumer = bus.consume(consumerAddress, prefetch)) {
            ConsumerThread reader = new ConsumerThread("adapter consumer", n, BrokerClient.deadline(n), () -> {
                ReceivedMessage m = consumer.receive(POLL);
                if (m == null) {
                    return false;
                }
                consumer.acknowledge(List.of(m));
                return true;
            });
            long cpu = Cpu.process();
            long senderCpu = Cpu.thread();
            reader.start();
            long start = System.nanoTime();
            send(n);
            bus.flush(BrokerClient.deadline(n));
            long published = System.nanoTime() - start;
            long sent = Cpu.since(senderCpu, Cpu.thread());
            long end = reader.awaitEnd();
            return new Measurement(n, end - start, published, Cpu.since(cpu, Cpu.process()), sent, reader.cpuNanos());
        }
    }

    private void send(int n) throws BrokerException {
        byte[] body = messages.body();
        for (int i = 0; i < n; i++) {
            long scn = messages.nextScn();
            String key = messages.key(scn);
            bus.publish(new BrokerMessage(BrokerBenchmark.TOPIC,
                    Map.of(MessageProperties.KEY, key, MessageProperties.SCN, Long.toString(scn)), body));
        }
    }

    @Override
    public void close() throws BrokerException {
        bus.close();
    }
}
