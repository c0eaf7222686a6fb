package dev.cdc.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.broker.amqp.AmqpEndpoint;
import dev.cdc.common.event.BrokerMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class BrokerRecordTest {

    @Test
    void flinkSerializesItAsAPojoWithoutKryo() throws Exception {
        TypeInformation<BrokerRecord> type = new BrokerSource(
                BrokerSourceConfig.of(AmqpEndpoint.local(5672), "q")).getProducedType();
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<BrokerRecord> pojo = (PojoTypeInfo<BrokerRecord>) type;
        assertThat(pojo.getArity()).isEqualTo(5);
        for (int i = 0; i < pojo.getArity(); i++) {
            assertThat(pojo.getPojoFieldAt(i).getTypeInformation()).as(pojo.getPojoFieldAt(i).getField().getName())
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
        assertThat(pojo.getTypeAt("properties")).isInstanceOf(MapTypeInfo.class);

        TypeSerializer<BrokerRecord> serializer = type.createSerializer(new ExecutionConfig().getSerializerConfig());
        BrokerRecord record = BrokerRecord.of(new BrokerMessage("cdc/oracle/SALES/ORDERS/insert",
                Map.of("cdc_key", "{\"ORDER_ID\":1}", "cdc_scn", "42"),
                "{\"payload\":\"é ✓\"}".getBytes(StandardCharsets.UTF_8)),
                1_700_000_000_120L, 1_700_000_000_123_456L);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        BrokerRecord back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.topic).isEqualTo("cdc/oracle/SALES/ORDERS/insert");
        assertThat(back.properties).isEqualTo(record.properties);
        assertThat(back.body).isEqualTo("{\"payload\":\"é ✓\"}");
        assertThat(back.publishedAtMillis).isEqualTo(1_700_000_000_120L);
        assertThat(back.receivedAtMicros).isEqualTo(1_700_000_000_123_456L);
        assertThat(back.property("cdc_scn")).isEqualTo("42");
        assertThat(back.toBrokerMessage()).isEqualTo(new BrokerMessage(record.topic, record.properties,
                record.body.getBytes(StandardCharsets.UTF_8)));
    }
}
