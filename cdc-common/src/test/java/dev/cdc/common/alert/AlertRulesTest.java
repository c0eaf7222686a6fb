package dev.cdc.common.alert;

import static dev.cdc.common.alert.AlertEvents.ORDERS;
import static dev.cdc.common.alert.AlertEvents.insert;
import static dev.cdc.common.alert.AlertEvents.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.alert.AlertEvents.DecimalMode;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The configured set: loaded from configuration with every problem named by its key, evaluated per event. */
class AlertRulesTest {

    private static final TableId PRODUCTS = new TableId("SALES", "PRODUCTS");
    private static final TableId CUSTOMERS = new TableId("SALES", "CUSTOMERS");

    static final String RULES = """
            alerts:
              rules:
                big-order:
                  type: above
                  table: SALES.ORDERS
                  column: TOTAL_AMOUNT
                  threshold: 5000
                low-stock: {type: below, table: SALES.PRODUCTS, column: stock_qty, threshold: 10}
                tier-change: {type: changed, table: SALES.CUSTOMERS, column: TIER}
                order-cancelled: {type: equals, table: SALES.ORDERS, column: STATUS, value: CANCELLED}
            """;

    @TempDir
    Path dir;

    private Configuration yaml(String text) throws IOException {
        return Configuration.load(Files.writeString(dir.resolve("cdc.yaml"), text), Map.of());
    }

    @Test
    void rulesLoadByNameWithTheirTypes() throws IOException {
        Configuration config = yaml(RULES);
        config.validate(AlertRules.settings(config), List.of(AlertRules.SECTION));

        AlertRules rules = AlertRules.load(config);

        assertThat(rules.rules()).containsExactly(
                AlertRule.above("big-order", ORDERS, "TOTAL_AMOUNT", new BigDecimal("5000")),
                AlertRule.below("low-stock", PRODUCTS, "STOCK_QTY", BigDecimal.TEN),
                AlertRule.equalTo("order-cancelled", ORDERS, "STATUS", "CANCELLED"),
                AlertRule.changed("tier-change", CUSTOMERS, "TIER"));
        assertThat(rules.rulesFor(ORDERS)).extracting(AlertRule::name).containsExactly("big-order", "order-cancelled");
        assertThat(rules.rulesFor(new TableId("SALES", "AUDIT_LOG"))).isEmpty();
    }

    @Test
    void theShippedConfigurationLoadsAndChecksClean() throws IOException {
        Configuration config = Configuration.load(Path.of("..", "configs", "cdc.yaml"), Map.of());
        config.validate(AlertRules.settings(config), List.of(AlertRules.SECTION));

        AlertRules rules = AlertRules.load(config);

        assertThat(rules.rules()).extracting(AlertRule::name)
                .containsExactly("big-order", "low-stock", "order-cancelled", "tier-change");
        assertThat(rules.rules()).extracting(AlertRule::kind).containsExactly(
                AlertRule.Kind.ABOVE, AlertRule.Kind.BELOW, AlertRule.Kind.EQUALS, AlertRule.Kind.CHANGED);
    }

    @Test
    void noSectionMeansNoRulesAndNoAlerts() throws IOException {
        AlertRules rules = AlertRules.load(yaml("broker: {port: 5672}\n"));

        assertThat(rules.isEmpty()).isTrue();
        assertThat(rules).isEqualTo(AlertRules.none());
        assertThat(rules.evaluate(insert(row("TOTAL_AMOUNT", new BigDecimal("9999.00"))))).isEmpty();
        assertThat(AlertRules.load(Configuration.empty()).isEmpty()).isTrue();
        assertThat(AlertRules.load(yaml("alerts:\n  rules:\n")).isEmpty()).isTrue();
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsKey() throws IOException {
        Configuration config = yaml("""
                alerts:
                  rules:
                    no-threshold: {type: above, table: SALES.ORDERS, column: TOTAL_AMOUNT}
                    bad-threshold: {type: below, table: SALES.PRODUCTS, column: STOCK_QTY, threshold: ten}
                    bad-type: {type: over, table: SALES.ORDERS, column: TOTAL_AMOUNT, threshold: 1}
                    bad-table: {type: changed, table: ORDERS, column: STATUS}
                    bad-column: {type: changed, table: SALES.ORDERS, column: "TOTAL AMOUNT"}
                    no-value: {type: equals, table: SALES.ORDERS, column: STATUS}
                    extra-value: {type: changed, table: SALES.ORDERS, column: STATUS, value: X}
                    no-type: {table: SALES.ORDERS, column: STATUS}
                    "bad name": {type: changed, table: SALES.ORDERS, column: STATUS}
                """);

        assertThatThrownBy(() -> AlertRules.load(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "alerts.rules.no-threshold.threshold: required by an above rule",
                        "alerts.rules.bad-threshold.threshold: expected a decimal number such as 5000 or 9.5, was \"ten\" (from "
                                + dir.resolve("cdc.yaml") + ")",
                        "alerts.rules.bad-type.type: expected one of above, below, changed, equals, was \"over\" (from "
                                + dir.resolve("cdc.yaml") + ")",
                        "alerts.rules.bad-table.table: table \"ORDERS\" must be SCHEMA.TABLE, was \"ORDERS\" (from "
                                + dir.resolve("cdc.yaml") + ")",
                        "alerts.rules.bad-column.column: column \"TOTAL AMOUNT\" must be a column name: a letter, then letters,"
                                + " digits, _, $ or #, was \"TOTAL AMOUNT\" (from " + dir.resolve("cdc.yaml") + ")",
                        "alerts.rules.no-value.value: required by an equals rule",
                        "alerts.rules.extra-value.value: not used by a changed rule",
                        "alerts.rules.no-type.type: required (what alert rule no-type looks for: above, below, changed or equals)",
                        "alerts.rules.bad name: a rule name is letters, digits, - and _ (at most 100), starting with a letter"
                                + " or digit: it is part of every alert id"));
    }

    @Test
    void aMisspelledKeyIsAnUnknownSetting() throws IOException {
        Configuration config = yaml("""
                alerts:
                  rules:
                    big-order: {type: above, table: SALES.ORDERS, column: TOTAL_AMOUNT, treshold: 5000}
                """);

        assertThatThrownBy(() -> config.validate(AlertRules.settings(config), List.of(AlertRules.SECTION)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
                        "alerts.rules.big-order.treshold: unknown setting (in " + dir.resolve("cdc.yaml") + ")"));
        assertThatThrownBy(() -> AlertRules.load(config)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly("alerts.rules.big-order.threshold: required by an above rule"));
    }

    @Test
    void aMisplacedKeyShowsAsADottedRuleName() throws IOException {
        Configuration config = yaml("""
                alerts:
                  rules:
                    big-order:
                      settings: {type: above, table: SALES.ORDERS, column: TOTAL_AMOUNT, threshold: 5000}
                """);

        assertThatThrownBy(() -> AlertRules.load(config)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "alerts.rules.big-order.settings: a rule name can't contain dots; is a key misplaced?"));
    }

    @Test
    void anEventRaisesTheAlertsOfEveryRuleThatFiresInRuleNameOrder() throws IOException {
        AlertRules rules = AlertRules.load(yaml(RULES));
        ChangeEvent bigAndCancelled = insert(row("TOTAL_AMOUNT", new BigDecimal("6001.50"), "STATUS", "CANCELLED"));

        assertThat(rules.evaluate(bigAndCancelled)).extracting(Alert::id)
                .containsExactly("big-order:SALES.ORDERS:1234:5", "order-cancelled:SALES.ORDERS:1234:5");
        assertThat(rules.evaluate(insert(row("TOTAL_AMOUNT", new BigDecimal("10.00"), "STATUS", "PENDING")))).isEmpty();
        // the same change delivered again raises the same alerts
        assertThat(rules.evaluate(bigAndCancelled)).isEqualTo(rules.evaluate(bigAndCancelled));
    }

    @ParameterizedTest
    @EnumSource(DecimalMode.class)
    void aDecodedMessageRaisesWhatItsEventRaised(DecimalMode mode) throws IOException {
        // what the generator predicts (its in-memory event, decimals as BigDecimal) is what a consumer raises on
        // the decoded message, whatever the decimal mode
        AlertRules rules = AlertRules.load(yaml(RULES));
        DebeziumJsonCodec codec = new DebeziumJsonCodec();
        for (String[] change : new String[][] {{"4999.99", "5000.01"}, {"5000.00", "6001.50"}, {"100.10", "200.20"}}) {
            ChangeEvent event = AlertEvents.event(mode, Operation.UPDATE,
                    row("TOTAL_AMOUNT", new BigDecimal(change[0]), "STATUS", "PENDING"),
                    row("TOTAL_AMOUNT", new BigDecimal(change[1]), "STATUS", "CANCELLED"));
            ChangeEvent decoded = codec.decode(codec.encode(event), DebeziumJsonCodec.keyJson(event.key()));

            assertThat(rules.evaluate(decoded)).as(mode + " " + change[0] + " -> " + change[1])
                    .isEqualTo(rules.evaluate(event)).isNotEmpty();
        }
    }

    @Test
    void twoRulesCantShareAName() {
        AlertRule a = AlertRule.changed("same", ORDERS, "STATUS");
        AlertRule b = AlertRule.changed("same", CUSTOMERS, "TIER");

        assertThatThrownBy(() -> AlertRules.of(List.of(a, b))).hasMessage("two alert rules are named same");
    }

    @Test
    void theDescriptionReadsBackAsTheSameRules() throws IOException {
        AlertRules rules = AlertRules.load(yaml(RULES.replace("threshold: 10", "threshold: 9.50")));

        JsonNode written = DebeziumJsonCodec.mapper().readTree(DebeziumJsonCodec.mapper().writeValueAsString(rules.describe()));

        assertThat(written.toString()).isEqualTo("{\"big-order\":{\"type\":\"above\",\"table\":\"SALES.ORDERS\","
                + "\"column\":\"TOTAL_AMOUNT\",\"threshold\":5000},\"low-stock\":{\"type\":\"below\",\"table\":\"SALES.PRODUCTS\","
                + "\"column\":\"STOCK_QTY\",\"threshold\":9.5},\"order-cancelled\":{\"type\":\"equals\",\"table\":\"SALES.ORDERS\","
                + "\"column\":\"STATUS\",\"value\":\"CANCELLED\"},\"tier-change\":{\"type\":\"changed\",\"table\":\"SALES.CUSTOMERS\","
                + "\"column\":\"TIER\"}}");
        assertThat(AlertRules.fromDescription(written)).isEqualTo(rules);
        assertThat(AlertRules.fromDescription(null)).isEqualTo(AlertRules.none());
    }

    @Test
    void theSetIsSerializableForAnEnginesTasks() throws Exception {
        AlertRules rules = AlertRules.load(yaml(RULES));

        AlertRules shipped = (AlertRules) AlertTest.roundTrip(rules);

        assertThat(shipped).isEqualTo(rules);
        ChangeEvent big = insert(row("TOTAL_AMOUNT", new BigDecimal("6001.50")));
        assertThat(shipped.evaluate(big)).isEqualTo(rules.evaluate(big)).hasSize(1);
        assertThat(shipped.rulesFor(ORDERS)).hasSize(2);
    }
}
