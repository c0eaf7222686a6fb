package dev.cdc.flink.source.split;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned bytes of a {@link QueueSplit} (sent from the enumerator to readers). Internal. */
@Internal
public final class QueueSplitSerializer implements SimpleVersionedSerializer<QueueSplit> {

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(QueueSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(split.queue().length() + 8);
        out.writeUTF(split.queue());
        out.writeInt(split.subtask());
        return out.getCopyOfBuffer();
    }

    @Override
    public QueueSplit deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("queue split of version " + version + " cannot be read; this source reads version "
                    + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        return new QueueSplit(in.readUTF(), in.readInt());
    }
}
