package dev.cdc.flink.source.enumerator;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned bytes of the {@link EnumeratorState} in checkpoints and savepoints. Internal. */
@Internal
public final class EnumeratorStateSerializer implements SimpleVersionedSerializer<EnumeratorState> {

    static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(state.queue().length() + 4);
        out.writeUTF(state.queue());
        return out.getCopyOfBuffer();
    }

    @Override
    public EnumeratorState deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("broker source enumerator state of version " + version
                    + " cannot be read; this source reads version " + VERSION);
        }
        return new EnumeratorState(new DataInputDeserializer(bytes).readUTF());
    }
}
