package dev.cdc.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventIdTest {

    private static final TableId ORDERS = new TableId("SALES", "ORDERS");

    @Test
    void anEventIdIsTableScnAndSequence() {
        assertThat(new EventId(ORDERS, new Position(2_000_123, 2))).hasToString("SALES.ORDERS:2000123:2");
    }

    @Test
    void aChangeEventFormsItFromItsSourceBlock() {
        ConnectSchema schema = ConnectSchema.builder(SchemaType.STRUCT).name("server1.SALES.ORDERS.Value")
                .field("ORDER_ID", ConnectSchema.of(SchemaType.INT64, false)).build();
        SourceInfo source = new SourceInfo("2.7.3.Final", "oracle", "server1", 1L, "false", "ORCLPDB1", null,
                "SALES", "ORDERS", "tx", "2000123", "2000130");
        ChangeEvent event = new ChangeEvent(schema, Operation.CREATE, null, Map.of("ORDER_ID", 1L), source, 2L, null, null);

        // no sequence in the source block reads as 0, as Position does
        assertThat(event.eventId()).isEqualTo(new EventId(ORDERS, new Position(2_000_123, 0)));
        assertThat(event.eventId()).hasToString("SALES.ORDERS:2000123:0");
    }

    @Test
    void itParsesBack() {
        EventId id = new EventId(new TableId("HR", "EMP$HIST"), new Position(7, 12));

        assertThat(EventId.parse(id.toString())).isEqualTo(id);
        assertThat(EventId.parse("SALES.ORDERS:2000123:2").position()).isEqualTo(new Position(2_000_123, 2));
    }

    @Test
    void anythingElseIsRefusedNamingTheForm() {
        for (String bad : new String[] {"", "SALES.ORDERS", "SALES.ORDERS:1", "ORDERS:1:2", "SALES.ORDERS:x:2",
                "SALES.ORDERS:1:2:3", ":1:2", "SALES.ORDERS:1:"}) {
            assertThatThrownBy(() -> EventId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("event id \"" + bad + "\" must be SCHEMA.TABLE:scn:sequence, e.g. SALES.ORDERS:2000123:2");
        }
    }

    @Test
    void eventIdsAndTablesAreSerializable() throws Exception {
        EventId id = new EventId(ORDERS, new Position(5, 1));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(id);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(id);
        }
    }
}
