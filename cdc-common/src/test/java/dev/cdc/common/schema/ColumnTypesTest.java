package dev.cdc.common.schema;

import static dev.cdc.common.alert.AlertEvents.ORDERS;
import static dev.cdc.common.alert.AlertEvents.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.alert.AlertEvents;
import dev.cdc.common.alert.AlertEvents.DecimalMode;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ValueType.UnsafeCoercionException;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnTypesTest {

    /** The ORDERS test schema with STOCK_QTY sent as text, as scenario S4 does. */
    private static ConnectSchema stockAsText() {
        ConnectSchema schema = AlertEvents.schema(DecimalMode.PRECISE);
        return schema.withoutField("STOCK_QTY").withField(new ConnectSchema.Field("STOCK_QTY",
                ConnectSchema.of(SchemaType.STRING, true)));
    }

    private static ChangeEvent textStock(Object before, Object after) {
        return AlertEvents.event(stockAsText(), ORDERS, Operation.UPDATE, row("STOCK_QTY", before),
                row("STOCK_QTY", after), 2000, 1);
    }

    @Test
    void aColumnLaterSentAsTextIsCoercedToTheTypeItFirstArrivedWith() {
        ColumnTypes types = new ColumnTypes();
        ChangeEvent first = AlertEvents.insert(row("STOCK_QTY", 5L));
        assertThat(types.coerce(first)).as("nothing to change").isSameAs(first);

        ChangeEvent coerced = types.coerce(textStock("5", "100"));

        assertThat(coerced.after().get("STOCK_QTY")).isEqualTo(100L);
        assertThat(coerced.before().get("STOCK_QTY")).isEqualTo(5L);
        assertThat(types.of(ORDERS)).containsEntry("STOCK_QTY", ValueType.BIGINT);
    }

    @Test
    void aValueTheKeptTypeCantHoldIsRefusedNamingTheColumn() {
        ColumnTypes types = new ColumnTypes();
        types.coerce(AlertEvents.insert(row("STOCK_QTY", 5L)));

        assertThatThrownBy(() -> types.coerce(textStock("5", "a hundred")))
                .isInstanceOf(UnsafeCoercionException.class).hasMessageContaining("SALES.ORDERS.STOCK_QTY");
    }

    @Test
    void theFirstTypeSeenWinsAndRestoredTypesComeFirst() {
        ColumnTypes fresh = new ColumnTypes();
        assertThat(fresh.coerce(textStock("5", "100")).after().get("STOCK_QTY")).as("text first: kept as text")
                .isEqualTo("100");

        ColumnTypes restored = new ColumnTypes();
        restored.restore(ORDERS, Map.of("STOCK_QTY", ValueType.BIGINT));
        assertThat(restored.coerce(textStock("5", "100")).after().get("STOCK_QTY")).isEqualTo(100L);
    }

    @Test
    void wideningNeedsNoCoercionAndUnreadLobsStayPlaceholders() {
        ColumnTypes types = new ColumnTypes();
        types.coerce(AlertEvents.insert(row("TOTAL_AMOUNT", new BigDecimal("1.50"), "NOTE", "x")));
        ChangeEvent update = AlertEvents.update(row("NOTE", "x"), row("NOTE", Unavailable.VALUE,
                "TOTAL_AMOUNT", new BigDecimal("2.50")));

        assertThat(types.coerce(update)).isSameAs(update);
    }

    @Test
    void onlyATextColumnsFirstSightingLearnsATypeFromText() {
        ColumnTypes types = new ColumnTypes();
        ChangeEvent typed = stockOnly(SchemaType.INT64, 5L);
        assertThat(types.learnsFromText(typed)).as("numbers only").isFalse();
        types.coerce(typed);

        ChangeEvent textStock = stockOnly(SchemaType.STRING, "100");
        assertThat(types.learnsFromText(textStock)).as("STOCK_QTY is kept as a number already").isFalse();

        ChangeEvent withStatus = AlertEvents.insert(row("STOCK_QTY", 5L, "STATUS", "NEW"));
        assertThat(types.learnsFromText(withStatus)).as("STATUS and NOTE: text, not kept yet").isTrue();
        assertThat(types.columns(ORDERS)).as("asking learns nothing").isEqualTo(2);
        types.coerce(withStatus);
        assertThat(types.learnsFromText(withStatus)).as("once kept, never again").isFalse();

        assertThat(new ColumnTypes().learnsFromText(textStock)).as("S4's text before any typed row").isTrue();
    }

    /** An ORDERS change with ORDER_ID and STOCK_QTY only, STOCK_QTY of the given type. */
    private static ChangeEvent stockOnly(SchemaType stockType, Object stock) {
        ConnectSchema schema = ConnectSchema.builder(SchemaType.STRUCT).name("server1.SALES.ORDERS.Value")
                .field("ORDER_ID", ConnectSchema.of(SchemaType.INT64, false))
                .field("STOCK_QTY", ConnectSchema.of(stockType, true)).build();
        return AlertEvents.event(schema, ORDERS, Operation.CREATE, null, row("STOCK_QTY", stock), 1000, 1);
    }
}
