package dev.cdc.spark.source;

import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.unsafe.types.UTF8String;

/** Turns a partition's messages into rows of {@link BrokerTable#SCHEMA}. */
final class MessageReaderFactory implements PartitionReaderFactory {

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        Iterator<MessagePartition.Message> messages = ((MessagePartition) partition).messages().iterator();
        return new PartitionReader<>() {
            private MessagePartition.Message current;

            @Override
            public boolean next() {
                current = messages.hasNext() ? messages.next() : null;
                return current != null;
            }

            @Override
            public InternalRow get() {
                return new GenericInternalRow(new Object[] {current.sequence(), UTF8String.fromString(current.topic()),
                    text(current.key()), text(current.scn()), UTF8String.fromString(current.propertiesJson()),
                    current.body(), current.receivedAtMicros()});
            }

            @Override
            public void close() {
                // nothing held: the messages came with the task
            }
        };
    }

    private static UTF8String text(String s) {
        return s == null ? null : UTF8String.fromString(s);
    }
}
