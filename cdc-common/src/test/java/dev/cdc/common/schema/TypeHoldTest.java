package dev.cdc.common.schema;

import static dev.cdc.common.alert.AlertEvents.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.alert.AlertEvents;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeHoldTest {

    /** A held change: its row, when it was published, and its STOCK_QTY as sent (a number, or text as S4 sends). */
    record Held(String row, long publishedAt, Object stock) {
        ChangeEvent event() {
            SchemaType type = stock instanceof String ? SchemaType.STRING : SchemaType.INT64;
            ConnectSchema schema = ConnectSchema.builder(SchemaType.STRUCT).name("server1.SALES.ORDERS.Value")
                    .field("ORDER_ID", ConnectSchema.of(SchemaType.INT64, false))
                    .field("STOCK_QTY", ConnectSchema.of(type, true)).build();
            return AlertEvents.event(schema, ORDERS, Operation.UPDATE, null,
                    AlertEvents.row("ORDER_ID", Long.parseLong(row), "STOCK_QTY", stock), publishedAt, 1);
        }
    }

    @Test
    void heldChangesGoByPublishTimeButARowsChangesKeepTheirArrivalOrder() {
        Held textFirst = new Held("1", 200, "100");
        Held typedEarlier = new Held("2", 100, 7L);
        Held rowOneAgain = new Held("1", 150, "90"); // another publisher's clock: behind, yet after row 1's first change
        Held typedLater = new Held("2", 300, 8L);

        assertThat(TypeHold.publishOrder(List.of(textFirst, typedEarlier, rowOneAgain, typedLater), Held::row,
                Held::publishedAt)).containsExactly(typedEarlier, textFirst, rowOneAgain, typedLater);
    }

    @Test
    void aTypedRowPublishedBeforeTheTextGivesTheColumnItsTypeWhateverTheArrivalOrder() {
        ColumnTypes types = new ColumnTypes();
        List<Object> decoded = new ArrayList<>();
        List<Held> arrived = List.of(new Held("1", 200, "100"), new Held("2", 100, 7L));

        List<Held> still = TypeHold.release(arrived, 250, Held::row, Held::publishedAt,
                h -> types.learnsFromText(h.event()), h -> decoded.add(types.coerce(h.event()).after().get("STOCK_QTY")));

        assertThat(still).isEmpty();
        assertThat(decoded).containsExactly(7L, 100L);
        assertThat(types.of(ORDERS)).containsEntry("STOCK_QTY", ValueType.BIGINT);
    }

    @Test
    void aTextFirstSightingPublishedAfterTheWatermarkStaysHeldWithWhatComesAfterIt() {
        ColumnTypes types = new ColumnTypes();
        List<Held> decoded = new ArrayList<>();
        Held typed = new Held("2", 100, 7L);
        Held text = new Held("1", 300, "100");
        Held later = new Held("2", 400, 8L);

        List<Held> still = TypeHold.release(List.of(text, typed, later), 250, Held::row, Held::publishedAt,
                h -> types.learnsFromText(h.event()), h -> {
                    types.coerce(h.event());
                    decoded.add(h);
                });

        assertThat(decoded).as("STOCK_QTY is kept by then: the text learns nothing and goes on")
                .containsExactly(typed, text, later);
        assertThat(still).isEmpty();

        ColumnTypes fresh = new ColumnTypes();
        decoded.clear();
        still = TypeHold.release(List.of(text, later), 250, Held::row, Held::publishedAt,
                h -> fresh.learnsFromText(h.event()), h -> {
                    fresh.coerce(h.event());
                    decoded.add(h);
                });
        assertThat(decoded).isEmpty();
        assertThat(still).containsExactly(text, later);
        assertThat(fresh.of(ORDERS)).isEqualTo(Map.of());
    }
}
