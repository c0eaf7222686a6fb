package dev.cdc.common.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.TransactionInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events in the documented format of the Debezium Oracle connector (table DEBEZIUM.CUSTOMERS, server "server1"),
 * including the source and envelope fields a real 2.x event carries that our model does not (lcr_position, rs_id,
 * ssn, ts_us, ts_ns...): those must be ignored, not refused.
 */
class DebeziumOracleDocumentedEventsTest {

    private static final TableId CUSTOMERS = new TableId("DEBEZIUM", "CUSTOMERS");

    private final DebeziumJsonCodec codec = new DebeziumJsonCodec();

    private static byte[] fixture(String name) {
        try (InputStream in = DebeziumOracleDocumentedEventsTest.class.getResourceAsStream("/debezium/" + name)) {
            assertThat(in).as("fixture " + name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> customer(String email) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("ID", 1005);
        row.put("FIRST_NAME", "Zoë");
        row.put("LAST_NAME", "Ångström");
        row.put("EMAIL", email);
        return row;
    }

    private static SourceInfo source(long tsMs, String txId, String scn, String commitScn) {
        return new SourceInfo("2.7.3.Final", "oracle", "server1", tsMs, "false", "ORCLPDB1", null,
                "DEBEZIUM", "CUSTOMERS", txId, scn, commitScn);
    }

    @Test
    void createEventDecodes() {
        ChangeEvent event = codec.decode(fixture("customers-create.json"), "{\"ID\":1005}");

        assertThat(event.op()).isEqualTo(Operation.CREATE);
        assertThat(event.before()).isNull();
        assertThat(event.after()).isEqualTo(customer("zoe@example.com"));
        assertThat(event.after().get("ID")).isInstanceOf(Integer.class);
        assertThat(event.source()).isEqualTo(source(1_767_322_800_000L, "0a001b00c3040000", "2122185", "2122190"));
        assertThat(event.table()).isEqualTo(CUSTOMERS);
        assertThat(event.position()).isEqualTo(new Position(2_122_185L, 0));
        assertThat(event.tsMs()).isEqualTo(1_767_322_801_234L);
        assertThat(event.transaction()).isNull();
        assertThat(event.key()).isEqualTo(Map.of("ID", 1005L));
        assertThat(event.topic().toString()).isEqualTo("cdc/oracle/DEBEZIUM/CUSTOMERS/insert");
        assertThat(event.valueSchema().name()).isEqualTo("server1.DEBEZIUM.CUSTOMERS.Value");
        assertThat(event.valueSchema().fields()).extracting(f -> f.name())
                .containsExactly("ID", "FIRST_NAME", "LAST_NAME", "EMAIL");
    }

    @Test
    void updateEventDecodesBothImages() {
        ChangeEvent event = codec.decode(fixture("customers-update.json"), null);

        assertThat(event.op()).isEqualTo(Operation.UPDATE);
        assertThat(event.before()).isEqualTo(customer("zoe@example.com"));
        assertThat(event.after()).isEqualTo(customer("zoe.angstrom@example.org"));
        assertThat(event.source()).isEqualTo(source(1_767_322_860_000L, "05000e00a1040000", "2122201", "2122207"));
        assertThat(event.table()).isEqualTo(CUSTOMERS);
        assertThat(event.position()).isEqualTo(new Position(2_122_201L, 0));
        assertThat(event.tsMs()).isEqualTo(1_767_322_861_500L);
        assertThat(event.transaction()).isNull();
    }

    @Test
    void deleteEventDecodesTheBeforeImage() {
        ChangeEvent event = codec.decode(fixture("customers-delete.json"), null);

        assertThat(event.op()).isEqualTo(Operation.DELETE);
        assertThat(event.before()).isEqualTo(customer("zoe.angstrom@example.org"));
        assertThat(event.after()).isNull();
        assertThat(event.row()).isEqualTo(event.before());
        assertThat(event.source()).isEqualTo(source(1_767_322_920_000L, "09001500b2040000", "2122250", "2122251"));
        assertThat(event.table()).isEqualTo(CUSTOMERS);
        assertThat(event.position()).isEqualTo(new Position(2_122_250L, 0));
        assertThat(event.tsMs()).isEqualTo(1_767_322_921_000L);
        assertThat(event.transaction()).isEqualTo(new TransactionInfo("09001500b2040000:2122251", 2, 1));
        assertThat(event.topic().toString()).isEqualTo("cdc/oracle/DEBEZIUM/CUSTOMERS/delete");
    }

    @Test
    void positionsFollowTheOrderOfTheChanges() {
        Position create = codec.decode(fixture("customers-create.json"), null).position();
        Position update = codec.decode(fixture("customers-update.json"), null).position();
        Position delete = codec.decode(fixture("customers-delete.json"), null).position();
        assertThat(update.isAfter(create)).isTrue();
        assertThat(delete.isAfter(update)).isTrue();
    }

    /** The fixtures are valid for the reference reader too, so they test our decoder and not our idea of the format. */
    @ParameterizedTest
    @ValueSource(strings = {"customers-create.json", "customers-update.json", "customers-delete.json"})
    void jsonConverterAcceptsTheFixture(String name) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "converter.type", "value"), false);

        Struct envelope = (Struct) converter.toConnectData("server1.DEBEZIUM.CUSTOMERS", fixture(name)).value();
        ChangeEvent ours = codec.decode(fixture(name), null);

        assertThat(envelope.getString("op")).isEqualTo(ours.op().code());
        Struct row = envelope.getStruct(ours.op() == Operation.DELETE ? "before" : "after");
        for (Map.Entry<String, Object> column : ours.row().entrySet()) {
            assertThat(row.get(column.getKey())).as(column.getKey()).isEqualTo(column.getValue());
        }
        Struct source = envelope.getStruct("source");
        assertThat(source.getString("scn")).isEqualTo(ours.source().scn());
        assertThat(source.getString("lcr_position")).isNull();
        assertThat(source.getString("row_id")).isEqualTo("AAASgjAAEAAAAF1AAA");
    }
}
