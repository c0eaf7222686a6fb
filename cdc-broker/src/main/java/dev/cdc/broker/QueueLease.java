package dev.cdc.broker;

/**
 * The right of one job to consume a queue that its several readers share as competing consumers: while a job holds
 * the queue's lease, a second job on the same queue waits as a hot standby, so no two jobs split the rows a join
 * must see (scenario O2). A lease is a token message on an exclusive queue ({@code <queue>.lease}) that the holder
 * receives and never acknowledges: the broker delivers to one consumer of an exclusive queue only, and gives the
 * token to the next one when the holder's connection goes (a stop, a crash, a cut it notices). Works alike on Solace
 * (an exclusive queue, unlimited redelivery) and the embedded broker. The lease puts a token there itself when
 * none comes ({@code seedAfter}): only the queue's active consumer ever receives one, so a token too many is harmless.
 *
 * <p>While the lease's connection is interrupted the job is taken to still hold it (nobody else can receive the
 * token from a broker that is down); once reconnected, the token must come back within the grace, or the lease is
 * {@linkplain State#LOST lost}: another job took it and this one must stop consuming.
 */
public interface QueueLease extends AutoCloseable {

    enum State {
        /** Not held yet: another job holds it, or the token is on its way. Consume nothing. */
        WAITING,
        /** Held: consume. */
        HELD,
        /** Was held, and after a reconnect the token did not come back: another job has it. Stop consuming. */
        LOST
    }

    /** The lease's queue, for messages. */
    String queue();

    State state();

    /** Gives the lease up: the broker hands the token to the next job waiting. */
    @Override
    void close();

    /** The lease queue of a data queue: its name with {@code .lease}. */
    static String queueFor(String queueAddress) {
        return queueName(queueAddress) + ".lease";
    }

    /** A queue's name in the address a consumer reads: the queue part of an Artemis ADDRESS::QUEUE. */
    static String queueName(String queueAddress) {
        int fqqn = queueAddress.indexOf("::");
        return fqqn >= 0 ? queueAddress.substring(fqqn + 2) : queueAddress;
    }
}
