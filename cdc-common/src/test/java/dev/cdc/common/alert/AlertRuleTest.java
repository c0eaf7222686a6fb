package dev.cdc.common.alert;

import static dev.cdc.common.alert.AlertEvents.ORDERS;
import static dev.cdc.common.alert.AlertEvents.delete;
import static dev.cdc.common.alert.AlertEvents.event;
import static dev.cdc.common.alert.AlertEvents.insert;
import static dev.cdc.common.alert.AlertEvents.row;
import static dev.cdc.common.alert.AlertEvents.snapshot;
import static dev.cdc.common.alert.AlertEvents.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.alert.AlertEvents.DecimalMode;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.EventId;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.Unavailable;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each rule type judged on one change alone: inserts, snapshot reads, updates and deletes, in every decimal mode. */
class AlertRuleTest {

    static final AlertRule BIG_ORDER = AlertRule.above("big-order", ORDERS, "TOTAL_AMOUNT", new BigDecimal("5000"));
    static final AlertRule LOW_STOCK = AlertRule.below("low-stock", ORDERS, "STOCK_QTY", BigDecimal.TEN);
    static final AlertRule STATUS_CHANGE = AlertRule.changed("status-change", ORDERS, "STATUS");
    static final AlertRule CANCELLED = AlertRule.equalTo("order-cancelled", ORDERS, "STATUS", "CANCELLED");

    private static Optional<Alert> fire(AlertRule rule, ChangeEvent event) {
        return rule.evaluate(event);
    }

    @Nested
    class Above {

        @Test
        void anInsertAboveTheThresholdFires() {
            Alert alert = fire(BIG_ORDER, insert(row("TOTAL_AMOUNT", new BigDecimal("6001.50")))).orElseThrow();

            assertThat(alert.id()).isEqualTo("big-order:SALES.ORDERS:1234:5");
            assertThat(alert.eventId()).isEqualTo(new EventId(ORDERS, new Position(1234, 5)));
            assertThat(alert.value()).isEqualTo(new BigDecimal("6001.5"));
            assertThat(alert.threshold()).isEqualTo(5000L);
            assertThat(alert.message()).isEqualTo("TOTAL_AMOUNT 6001.50 above 5000");
            assertThat(alert.key()).isEqualTo(Map.of("ORDER_ID", 1001L));
            assertThat(alert.eventTimeMs()).isEqualTo(AlertEvents.COMMIT_MS);
        }

        @Test
        void aValueAtTheThresholdIsNotAbove() {
            assertThat(fire(BIG_ORDER, insert(row("TOTAL_AMOUNT", new BigDecimal("5000.00"))))).isEmpty();
            assertThat(fire(BIG_ORDER, insert(row("TOTAL_AMOUNT", new BigDecimal("5000.01"))))).isPresent();
        }

        @Test
        void aSnapshotReadIsJudgedWithoutABeforeImage() {
            assertThat(fire(BIG_ORDER, snapshot(row("TOTAL_AMOUNT", new BigDecimal("7000.00"))))).isPresent();
            // a before image on a read or an insert is not Debezium's, and is not looked at
            assertThat(fire(BIG_ORDER, event(Operation.READ, row("TOTAL_AMOUNT", new BigDecimal("9000.00")),
                    row("TOTAL_AMOUNT", new BigDecimal("7000.00"))))).isPresent();
            assertThat(fire(BIG_ORDER, snapshot(row("TOTAL_AMOUNT", new BigDecimal("10.00"))))).isEmpty();
        }

        @Test
        void anUpdateFiresOnlyWhenItCrossesTheThresholdUpwards() {
            assertThat(fire(BIG_ORDER, update(row("TOTAL_AMOUNT", new BigDecimal("4999.99")),
                    row("TOTAL_AMOUNT", new BigDecimal("5000.01"))))).isPresent();
            assertThat(fire(BIG_ORDER, update(row("TOTAL_AMOUNT", new BigDecimal("5000.00")),
                    row("TOTAL_AMOUNT", new BigDecimal("6000.00"))))).as("from exactly the threshold").isPresent();
            assertThat(fire(BIG_ORDER, update(row("TOTAL_AMOUNT", new BigDecimal("5500.00")),
                    row("TOTAL_AMOUNT", new BigDecimal("6000.00"))))).as("already above").isEmpty();
            assertThat(fire(BIG_ORDER, update(row("TOTAL_AMOUNT", new BigDecimal("6000.00")),
                    row("TOTAL_AMOUNT", new BigDecimal("4000.00"))))).as("downwards").isEmpty();
            assertThat(fire(BIG_ORDER, update(row("TOTAL_AMOUNT", new BigDecimal("6000.00")),
                    row("TOTAL_AMOUNT", new BigDecimal("6000.00"), "STATUS", "SHIPPED")))).as("unchanged").isEmpty();
        }

        @Test
        void anUpdateFromNullOrFromAnAbsentColumnFires() {
            assertThat(fire(BIG_ORDER, update(row("TOTAL_AMOUNT", null), row("TOTAL_AMOUNT", new BigDecimal("6000.00"))))).isPresent();
            assertThat(fire(BIG_ORDER, update(row(), row("TOTAL_AMOUNT", new BigDecimal("6000.00"))))).isPresent();
        }

        @Test
        void aDeleteNeverFires() {
            assertThat(fire(BIG_ORDER, delete(row("TOTAL_AMOUNT", new BigDecimal("6000.00"))))).isEmpty();
        }

        @Test
        void aNegativeThresholdAndFractionsCompareAsNumbers() {
            AlertRule overdrawn = AlertRule.above("refund", ORDERS, "TOTAL_AMOUNT", new BigDecimal("-0.5"));
            assertThat(fire(overdrawn, insert(row("TOTAL_AMOUNT", new BigDecimal("-0.49"))))).isPresent();
            assertThat(fire(overdrawn, insert(row("TOTAL_AMOUNT", new BigDecimal("-0.50"))))).isEmpty();
        }
    }

    @Nested
    class Below {

        @Test
        void anInsertBelowTheThresholdFires() {
            Alert alert = fire(LOW_STOCK, insert(row("STOCK_QTY", 7L))).orElseThrow();

            assertThat(alert.value()).isEqualTo(7L);
            assertThat(alert.threshold()).isEqualTo(10L);
            assertThat(alert.message()).isEqualTo("STOCK_QTY 7 below 10");
        }

        @Test
        void anUpdateFiresOnlyWhenItCrossesTheThresholdDownwards() {
            assertThat(fire(LOW_STOCK, update(row("STOCK_QTY", 12L), row("STOCK_QTY", 7L)))).isPresent();
            assertThat(fire(LOW_STOCK, update(row("STOCK_QTY", 10L), row("STOCK_QTY", 9L)))).isPresent();
            assertThat(fire(LOW_STOCK, update(row("STOCK_QTY", 5L), row("STOCK_QTY", 3L)))).as("already below").isEmpty();
            assertThat(fire(LOW_STOCK, update(row("STOCK_QTY", 3L), row("STOCK_QTY", 50L)))).as("upwards").isEmpty();
            assertThat(fire(LOW_STOCK, update(row("STOCK_QTY", 50L), row("STOCK_QTY", 10L)))).as("at the threshold").isEmpty();
            assertThat(fire(LOW_STOCK, update(row("STOCK_QTY", null), row("STOCK_QTY", 0L)))).as("from null").isPresent();
        }

        @Test
        void snapshotReadsAndDeletes() {
            assertThat(fire(LOW_STOCK, snapshot(row("STOCK_QTY", 2L)))).isPresent();
            assertThat(fire(LOW_STOCK, delete(row("STOCK_QTY", 2L)))).isEmpty();
        }
    }

    @Nested
    class Changed {

        @Test
        void anUpdateThatChangesTheColumnFires() {
            Alert alert = fire(STATUS_CHANGE, update(row("STATUS", "PENDING"), row("STATUS", "SHIPPED"))).orElseThrow();

            assertThat(alert.value()).isEqualTo("SHIPPED");
            assertThat(alert.threshold()).isNull();
            assertThat(alert.message()).isEqualTo("STATUS changed from PENDING to SHIPPED");
        }

        @Test
        void anUpdateThatLeavesTheColumnDoesNot() {
            // equal, not the same object: values decoded from two images never are
            assertThat(fire(STATUS_CHANGE, update(row("STATUS", new String("PENDING"), "STOCK_QTY", 1L),
                    row("STATUS", new String("PENDING"), "STOCK_QTY", 2L)))).isEmpty();
        }

        @Test
        void nullAndAValueDiffer() {
            assertThat(fire(STATUS_CHANGE, update(row("STATUS", null), row("STATUS", "NEW")))).get()
                    .extracting(Alert::message).isEqualTo("STATUS changed from null to NEW");
            assertThat(fire(STATUS_CHANGE, update(row("STATUS", "NEW"), row("STATUS", null)))).isPresent();
            assertThat(fire(STATUS_CHANGE, update(row("STATUS", null), row("STATUS", null)))).isEmpty();
        }

        @Test
        void numbersThatOnlyDifferInTrailingZerosAreTheSame() {
            AlertRule amountChange = AlertRule.changed("amount-change", ORDERS, "TOTAL_AMOUNT");
            assertThat(fire(amountChange, update(row("TOTAL_AMOUNT", new BigDecimal("10.0")),
                    row("TOTAL_AMOUNT", new BigDecimal("10.00"))))).isEmpty();
            assertThat(fire(amountChange, update(row("TOTAL_AMOUNT", new BigDecimal("1234567.5")),
                    row("TOTAL_AMOUNT", new BigDecimal("1234567.50"))))).isEmpty();
            assertThat(fire(amountChange, update(row("TOTAL_AMOUNT", new BigDecimal("10.00")),
                    row("TOTAL_AMOUNT", new BigDecimal("10.01"))))).get().extracting(Alert::value)
                    .isEqualTo(new BigDecimal("10.01"));
        }

        @Test
        void insertsSnapshotReadsAndDeletesHaveNothingToCompare() {
            assertThat(fire(STATUS_CHANGE, insert(row("STATUS", "NEW")))).isEmpty();
            assertThat(fire(STATUS_CHANGE, snapshot(row("STATUS", "NEW")))).isEmpty();
            assertThat(fire(STATUS_CHANGE, delete(row("STATUS", "NEW")))).isEmpty();
        }
    }

    @Nested
    class EqualsValue {

        @Test
        void anInsertWithTheValueFires() {
            Alert alert = fire(CANCELLED, insert(row("STATUS", "CANCELLED"))).orElseThrow();

            assertThat(alert.value()).isEqualTo("CANCELLED");
            assertThat(alert.threshold()).isEqualTo("CANCELLED");
            assertThat(alert.message()).isEqualTo("STATUS became CANCELLED");
        }

        @Test
        void anUpdateFiresWhenTheColumnBecomesTheValue() {
            assertThat(fire(CANCELLED, update(row("STATUS", "PENDING"), row("STATUS", "CANCELLED")))).isPresent();
            assertThat(fire(CANCELLED, update(row("STATUS", null), row("STATUS", "CANCELLED")))).isPresent();
            assertThat(fire(CANCELLED, update(row("STATUS", "CANCELLED"), row("STATUS", "CANCELLED")))).as("already").isEmpty();
            assertThat(fire(CANCELLED, update(row("STATUS", "CANCELLED"), row("STATUS", "PENDING")))).isEmpty();
        }

        @Test
        void textIsComparedExactly() {
            assertThat(fire(CANCELLED, insert(row("STATUS", "cancelled")))).isEmpty();
            assertThat(fire(CANCELLED, insert(row("STATUS", "CANCELLED ")))).isEmpty();
        }

        @Test
        void aNumericColumnIsComparedAsANumber() {
            AlertRule inactive = AlertRule.equalTo("deactivated", ORDERS, "IS_ACTIVE", "0");
            Alert alert = fire(inactive, update(row("IS_ACTIVE", (byte) 1), row("IS_ACTIVE", (byte) 0))).orElseThrow();
            assertThat(alert.value()).isEqualTo(0L);
            assertThat(fire(AlertRule.equalTo("exact", ORDERS, "TOTAL_AMOUNT", "49.9"),
                    insert(row("TOTAL_AMOUNT", new BigDecimal("49.90"))))).isPresent();
        }

        @Test
        void snapshotReadsFireAndDeletesDoNot() {
            assertThat(fire(CANCELLED, snapshot(row("STATUS", "CANCELLED")))).isPresent();
            assertThat(fire(CANCELLED, delete(row("STATUS", "CANCELLED")))).isEmpty();
        }
    }

    @Nested
    class DecimalModes {

        /** The value as the decoder hands it over in each mode. */
        private static Object decoded(DecimalMode mode, String amount) {
            return switch (mode) {
                case PRECISE -> new BigDecimal(amount);
                case DOUBLE -> Double.parseDouble(amount);
                case STRING -> amount;
            };
        }

        @ParameterizedTest
        @EnumSource(DecimalMode.class)
        void everyModeRaisesTheSameAlert(DecimalMode mode) {
            Alert expected = fire(BIG_ORDER, insert(row("TOTAL_AMOUNT", new BigDecimal("6001.50")))).orElseThrow();

            assertThat(fire(BIG_ORDER, event(mode, Operation.CREATE, null, row("TOTAL_AMOUNT", decoded(mode, "6001.50")))))
                    .contains(expected);
            assertThat(fire(BIG_ORDER, event(mode, Operation.UPDATE, row("TOTAL_AMOUNT", decoded(mode, "4999.99")),
                    row("TOTAL_AMOUNT", decoded(mode, "6001.50"))))).contains(expected);
            assertThat(fire(BIG_ORDER, event(mode, Operation.UPDATE, row("TOTAL_AMOUNT", decoded(mode, "5000.01")),
                    row("TOTAL_AMOUNT", decoded(mode, "6001.50"))))).isEmpty();
            assertThat(fire(BIG_ORDER, event(mode, Operation.CREATE, null, row("TOTAL_AMOUNT", decoded(mode, "5000.00")))))
                    .isEmpty();
        }

        @ParameterizedTest
        @EnumSource(DecimalMode.class)
        void aProducersBigDecimalIsJudgedAsItsModeSendsIt(DecimalMode mode) {
            // the generator holds BigDecimal whatever the mode; the consumer decodes a double or text
            for (String amount : new String[] {"6001.50", "4800.10", "0.10", "4999.99"}) {
                ChangeEvent inMemory = event(mode, Operation.CREATE, null, row("TOTAL_AMOUNT", new BigDecimal(amount)));
                ChangeEvent decoded = event(mode, Operation.CREATE, null, row("TOTAL_AMOUNT", decoded(mode, amount)));
                AlertRule rule = AlertRule.above("any", ORDERS, "TOTAL_AMOUNT", new BigDecimal("0.05"));
                assertThat(fire(rule, inMemory)).as(amount).isEqualTo(fire(rule, decoded)).isPresent();
            }
        }

        @Test
        void textThatIsNotANumberNeverFiresAndNeverThrows() {
            assertThat(fire(BIG_ORDER, event(DecimalMode.STRING, Operation.CREATE, null, row("TOTAL_AMOUNT", "lots")))).isEmpty();
            assertThat(fire(BIG_ORDER, event(DecimalMode.STRING, Operation.CREATE, null, row("TOTAL_AMOUNT", "")))).isEmpty();
            assertThat(fire(BIG_ORDER, event(DecimalMode.STRING, Operation.CREATE, null, row("TOTAL_AMOUNT", "1e999999999")))).isEmpty();
            assertThat(fire(BIG_ORDER, event(DecimalMode.DOUBLE, Operation.CREATE, null, row("TOTAL_AMOUNT", Double.NaN)))).isEmpty();
            assertThat(fire(BIG_ORDER, event(DecimalMode.DOUBLE, Operation.CREATE, null,
                    row("TOTAL_AMOUNT", Double.POSITIVE_INFINITY)))).isEmpty();
            // a before value that can't be judged: the crossing is unknown, so no alert
            assertThat(fire(BIG_ORDER, event(DecimalMode.STRING, Operation.UPDATE, row("TOTAL_AMOUNT", "n/a"),
                    row("TOTAL_AMOUNT", "6000.00")))).isEmpty();
            // a struct where a number should be
            assertThat(fire(LOW_STOCK, insert(row("STOCK_QTY", Map.of("A", 1))))).isEmpty();
        }

        @Test
        void aNumberWrittenAsTextByATypeChangeIsStillANumber() {
            // scenario S4: STOCK_QTY arrives as "7"
            ConnectSchema textStock = ConnectSchema.builder(SchemaType.STRUCT).name("server1.SALES.ORDERS.Value")
                    .field("ORDER_ID", ConnectSchema.of(SchemaType.INT64, false))
                    .field("STOCK_QTY", ConnectSchema.of(SchemaType.STRING, true)).build();
            Alert alert = fire(LOW_STOCK, AlertEvents.event(textStock, ORDERS, Operation.UPDATE, row("STOCK_QTY", "40"),
                    row("STOCK_QTY", "7"), 1234, 5)).orElseThrow();
            assertThat(alert.value()).isEqualTo(7L);
        }
    }

    @Nested
    class NeverFires {

        @Test
        void onTheUnavailableLobPlaceholder() {
            AlertRule noteSet = AlertRule.equalTo("note", ORDERS, "NOTE", Unavailable.PLACEHOLDER);
            AlertRule noteChanged = AlertRule.changed("note-changed", ORDERS, "NOTE");
            assertThat(fire(noteSet, insert(row("NOTE", Unavailable.VALUE)))).isEmpty();
            assertThat(fire(noteChanged, update(row("NOTE", "old"), row("NOTE", Unavailable.VALUE)))).isEmpty();
            assertThat(fire(noteChanged, update(row("NOTE", Unavailable.VALUE), row("NOTE", "new")))).isEmpty();
            // still as text (a decoder that did not map it)
            assertThat(fire(noteChanged, update(row("NOTE", "old"), row("NOTE", Unavailable.PLACEHOLDER)))).isEmpty();
            assertThat(fire(BIG_ORDER, update(row("TOTAL_AMOUNT", Unavailable.VALUE),
                    row("TOTAL_AMOUNT", new BigDecimal("6000.00"))))).isEmpty();
        }

        @Test
        void onAColumnTheEventsSchemaDoesNotCarry() {
            AlertRule gone = AlertRule.changed("email", ORDERS, "EMAIL");
            // the image may hold it (a producer's view of every column ever), the schema says it is not sent
            assertThat(fire(gone, update(row("EMAIL", "a@b"), row("EMAIL", null)))).isEmpty();
        }

        @Test
        void onAnotherTable() {
            ChangeEvent items = AlertEvents.event(AlertEvents.schema(DecimalMode.PRECISE), new TableId("SALES", "ORDER_ITEMS"),
                    Operation.CREATE, null, row("TOTAL_AMOUNT", new BigDecimal("9999.00")), 1, 1);
            assertThat(fire(BIG_ORDER, items)).isEmpty();
        }
    }

    @Nested
    class Validation {

        @Test
        void eachTypeTakesItsOwnSettings() {
            TableId t = ORDERS;
            assertThatThrownBy(() -> new AlertRule("big", AlertRule.Kind.ABOVE, t, "TOTAL_AMOUNT", null, "5"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("alert rule big: threshold: required by an above rule; value: not used by an above rule"
                            + " (it compares with threshold)");
            assertThatThrownBy(() -> new AlertRule("c", AlertRule.Kind.EQUALS, t, "STATUS", BigDecimal.ONE, null))
                    .hasMessage("alert rule c: threshold: not used by an equals rule (it compares with value); value: required"
                            + " by an equals rule");
            assertThatThrownBy(() -> new AlertRule("c", AlertRule.Kind.CHANGED, t, "STATUS", BigDecimal.ONE, null))
                    .hasMessageContaining("threshold: not used by a changed rule");
            assertThatThrownBy(() -> AlertRule.equalTo("c", t, "STATUS", ""))
                    .hasMessageContaining("value: must not be empty");
        }

        @Test
        void namesAndColumnsAreChecked() {
            assertThatThrownBy(() -> AlertRule.changed("big order", ORDERS, "STATUS"))
                    .hasMessageContaining("name \"big order\": a rule name is letters, digits, - and _");
            assertThatThrownBy(() -> AlertRule.changed("a:b", ORDERS, "STATUS")).hasMessageContaining("alert id");
            assertThatThrownBy(() -> AlertRule.changed("x", ORDERS, "TOTAL AMOUNT"))
                    .hasMessageContaining("column: column \"TOTAL AMOUNT\" must be a column name");
            assertThatThrownBy(() -> new AlertRule("x", null, null, "A", null, null))
                    .hasMessageContaining("type: required").hasMessageContaining("table: required");
        }

        @Test
        void columnsAreOracleNamesAndThresholdsHaveOneForm() {
            AlertRule rule = AlertRule.above("big", ORDERS, " total_amount ", new BigDecimal("5000.00"));
            assertThat(rule.column()).isEqualTo("TOTAL_AMOUNT");
            assertThat(rule.threshold()).isEqualTo(new BigDecimal("5000"));
            assertThat(rule).isEqualTo(AlertRule.above("big", ORDERS, "TOTAL_AMOUNT", new BigDecimal("5E+3")));
            assertThat(AlertRule.below("b", ORDERS, "X", new BigDecimal("9.50")).threshold()).isEqualTo(new BigDecimal("9.5"));
        }
    }
}
