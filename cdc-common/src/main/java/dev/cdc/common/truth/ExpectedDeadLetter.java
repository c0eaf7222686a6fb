package dev.cdc.common.truth;

import java.util.Map;

/**
 * A dead letter the pipeline must produce: the topic of the bad message, its row key (null when the message has
 * none), and why it is bad.
 */
public record ExpectedDeadLetter(String topic, Map<String, Object> key, Reason reason) {

    public enum Reason {
        /** The body is not a valid Debezium envelope; nothing of it lands. */
        MALFORMED_JSON,
        /** An XML column could not be parsed; the row itself lands, its extracted rows do not. */
        MALFORMED_XML
    }
}
