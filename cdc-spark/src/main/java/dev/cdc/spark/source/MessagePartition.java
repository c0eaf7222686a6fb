package dev.cdc.spark.source;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A slice of a micro-batch, carrying its messages: the driver's consumer received them, so an executor on another
 * machine gets them with the task instead of reading a queue it could not acknowledge.
 */
public record MessagePartition(List<Message> messages) implements InputPartition {

    /** One message as the source's rows hold it. */
    public record Message(long sequence, String topic, String key, String scn, String propertiesJson, byte[] body,
                          long receivedAtMicros) implements Serializable {
    }
}
