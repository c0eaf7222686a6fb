package dev.cdc.broker;

/**
 * The broker could not do what was asked: unreachable, refused, or timed out. Transient by nature: callers back off
 * and retry and acknowledge nothing meanwhile; it is never a reason to dead-letter a message.
 */
public final class BrokerException extends Exception {

    private static final long serialVersionUID = 1L;

    private BrokerException(String message, Throwable cause) {
        super(message, cause);
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
