package dev.cdc.flink.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class QueueSplitSerializerTest {

    private final QueueSplitSerializer serializer = new QueueSplitSerializer();

    @Test
    void aSplitSurvivesItsBytes() throws IOException {
        QueueSplit split = new QueueSplit("cdc/oracle/SALES/*/>::cdc.events", 3);
        QueueSplit back = serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
        assertThat(back).isEqualTo(split);
        assertThat(back.splitId()).isEqualTo("cdc/oracle/SALES/*/>::cdc.events#3");
    }

    @Test
    void anUnknownVersionIsRefusedWithBothVersions() {
        assertThatThrownBy(() -> serializer.deserialize(7, new byte[0])).isInstanceOf(IOException.class)
                .hasMessageContaining("version 7").hasMessageContaining("version 1");
    }

    @Test
    void aSplitNeedsAQueueAndASubtask() {
        assertThatThrownBy(() -> new QueueSplit(" ", 0)).hasMessageContaining("queue");
        assertThatThrownBy(() -> new QueueSplit("q", -1)).hasMessageContaining("-1");
    }
}
