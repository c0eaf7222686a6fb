package dev.cdc.broker;

/**
 * The broker could not do what was asked: unreachable, refused, or timed out. Transient by nature: callers back off
 * and retry and acknowledge nothing meanwhile; it is never a reason to dead-letter a message.
 */
public final class BrokerException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean queueFull;

    private BrokerException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private BrokerException(String message, Throwable cause, boolean queueFull) {
        super(message, cause);
        this.queueFull = queueFull;
    }

    /**
     * The broker refused a message because the queue it goes to is at its quota (AMQP
     * {@code amqp:resource-limit-exceeded}: Solace's full queue, the embedded broker's queues that reject when full).
     */
    public static BrokerException queueFull(String topic, Throwable cause) {
        return new BrokerException("the broker refused a message to " + topic + ": its queue is full ("
                + cause.getMessage() + ")", cause, true);
    }

    /** Whether the broker refused a message because its queue is at its quota (not unreachable, not slow). */
    public boolean queueFull() {
        return queueFull;
    }

    public static BrokerException sendFailed(String topic, Throwable cause) {
        return new BrokerException("publishing to " + topic + " failed: " + cause.getMessage(), cause);
    }

    public static BrokerException unreachable(String endpoint, Throwable cause) {
        return new BrokerException("broker " + endpoint + " is unreachable: " + cause.getMessage(), cause);
    }

    public static BrokerException consumeFailed(String queue, Throwable cause) {
        return new BrokerException("consuming from queue " + queue + " failed: " + cause.getMessage(), cause);
    }

    public static BrokerException timedOut(String what, java.time.Duration timeout, long pending) {
        return new BrokerException(what + " did not complete within " + timeout + " (" + pending + " messages unconfirmed)", null);
    }

    public static BrokerException provisioningFailed(String queue, Throwable cause) {
        return new BrokerException("provisioning queue " + queue + " failed: " + cause.getMessage(), cause);
    }

    public static BrokerException closed(String what) {
        return new BrokerException(what + " is closed", null);
    }
}
