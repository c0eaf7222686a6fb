package dev.cdc.common.event;

/**
 * Names of the message properties of the event contract, so consumers can route and order without parsing the
 * body. The names are valid JMS identifiers, which AMQP 1.0 application properties and Solace user properties
 * accept alike.
 */
public final class MessageProperties {

    /** The row key: the primary key columns as a JSON object, e.g. {@code {"ORDER_ID":1001}}. Also the ordering key. */
    public static final String KEY = "cdc_key";
    /**
     * Set by the consumer, never by a publisher: the message's body was of a kind no envelope can be (an AMQP map,
     * list or number; a JMS MapMessage or ObjectMessage), and says which; the admission makes it a dead letter.
     */
    public static final String UNREADABLE_BODY = "cdc_unreadable_body";
    /** The change's SCN, as a decimal string. */
    public static final String SCN = "cdc_scn";

    private MessageProperties() {
    }
}
