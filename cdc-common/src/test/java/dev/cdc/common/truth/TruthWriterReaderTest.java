package dev.cdc.common.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.alert.AlertEvents;
import dev.cdc.common.alert.AlertRule;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.EventId;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A truth directory written by TruthWriter reads back through SourceTruth with every value in its canonical JSON form. */
class TruthWriterReaderTest {

    private static final TableId ORDERS = new TableId("SALES", "ORDERS");

    @TempDir
    Path dir;

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    private void writeSmallTruth() throws IOException {
        TruthWriter writer = new TruthWriter(dir);
        writer.table(ORDERS, List.of("ORDER_ID"), List.of(
                new TruthRow(row("ORDER_ID", 1001L), false, new Position(2_122_185L, 0),
                        row("ORDER_ID", 1001L, "AMOUNT", new BigDecimal("49.90"), "STATUS", "NEW",
                                "ORDER_DATE", LocalDateTime.parse("2026-01-02T03:04:00"),
                                "UPDATED_AT", LocalDateTime.parse("2026-01-02T03:04:05.123456"),
                                "SHIP_DATE", LocalDate.parse("2026-01-05"),
                                "PLACED_AT", OffsetDateTime.parse("2026-01-02T03:04:00+02:00"),
                                "QTY", 3, "PAID", true, "NOTE", null, "PHOTO", new byte[] {1, 2, 3})),
                new TruthRow(row("ORDER_ID", 1002L), true, new Position(2_122_300L, 2), null)));
        writer.extracted("order_shipping", List.of("order_id"), List.of(
                row("order_id", 1001L, "city", "Paris", "weight_kg", new BigDecimal("1.250"))));
        writer.enriched(List.of(
                row("order_id", 1001L, "items_total", new BigDecimal("49.90"), "item_count", 2L,
                        "items", List.of(row("item_id", 1L, "subtotal", new BigDecimal("0.10")),
                                row("item_id", 2L, "subtotal", new BigDecimal("49.80"))))));
        writer.deadLetters(List.of(
                new ExpectedDeadLetter("cdc/oracle/SALES/ORDERS/insert", row("ORDER_ID", 1003L), ExpectedDeadLetter.Reason.MALFORMED_JSON),
                new ExpectedDeadLetter("cdc/oracle/SALES/ORDERS/update", null, ExpectedDeadLetter.Reason.MALFORMED_XML)));
        writer.manifest(Map.of("tool", "test", "seed", 42));
    }

    @Test
    void tableRowsReadBackInCanonicalForm() throws IOException {
        writeSmallTruth();

        SourceTruth truth = SourceTruth.read(dir);

        assertThat(truth.tables()).containsOnlyKeys(ORDERS);
        List<TruthRow> rows = truth.tables().get(ORDERS);
        assertThat(rows).hasSize(2);

        TruthRow live = rows.get(0);
        assertThat(live.key()).isEqualTo(Map.of("ORDER_ID", 1001L));
        assertThat(live.deleted()).isFalse();
        assertThat(live.position()).isEqualTo(new Position(2_122_185L, 0));
        Map<String, Object> r = live.row();
        assertThat((BigDecimal) r.get("AMOUNT")).isEqualByComparingTo("49.90");
        assertThat(r.get("AMOUNT").toString()).isEqualTo("49.90");
        assertThat(r.get("STATUS")).isEqualTo("NEW");
        // ISO text with seconds even when they are zero, fraction only when present
        assertThat(r.get("ORDER_DATE")).isEqualTo("2026-01-02T03:04:00");
        assertThat(r.get("UPDATED_AT")).isEqualTo("2026-01-02T03:04:05.123456");
        assertThat(r.get("SHIP_DATE")).isEqualTo("2026-01-05");
        assertThat(r.get("PLACED_AT")).isEqualTo("2026-01-02T03:04:00+02:00");
        assertThat(r.get("QTY")).isEqualTo(3L);
        assertThat(r.get("PAID")).isEqualTo(true);
        assertThat(r).containsEntry("NOTE", null);
        assertThat(r.get("PHOTO")).isEqualTo("AQID");

        TruthRow deleted = rows.get(1);
        assertThat(deleted.key()).isEqualTo(Map.of("ORDER_ID", 1002L));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.position()).isEqualTo(new Position(2_122_300L, 2));
        assertThat(deleted.row()).isNull();
    }

    @Test
    void extractedEnrichedAndDeadLettersReadBack() throws IOException {
        writeSmallTruth();

        SourceTruth truth = SourceTruth.read(dir);

        assertThat(truth.extracted()).containsOnlyKeys("order_shipping");
        Map<String, Object> shipping = truth.extracted().get("order_shipping").get(0);
        assertThat(shipping).containsEntry("order_id", 1001L).containsEntry("city", "Paris");
        assertThat(shipping.get("weight_kg").toString()).isEqualTo("1.250");

        assertThat(truth.enriched()).hasSize(1);
        Map<String, Object> enriched = truth.enriched().get(0);
        assertThat((BigDecimal) enriched.get("items_total")).isEqualByComparingTo("49.90");
        assertThat(enriched.get("item_count")).isEqualTo(2L);
        assertThat(enriched.get("items")).isEqualTo(List.of(
                Map.of("item_id", 1L, "subtotal", new BigDecimal("0.10")),
                Map.of("item_id", 2L, "subtotal", new BigDecimal("49.80"))));

        assertThat(truth.deadLetters()).containsExactly(
                new ExpectedDeadLetter("cdc/oracle/SALES/ORDERS/insert", Map.of("ORDER_ID", 1003L), ExpectedDeadLetter.Reason.MALFORMED_JSON),
                new ExpectedDeadLetter("cdc/oracle/SALES/ORDERS/update", null, ExpectedDeadLetter.Reason.MALFORMED_XML));
    }

    @Test
    void manifestCountsWhatWasWritten() throws IOException {
        writeSmallTruth();

        SourceTruth truth = SourceTruth.read(dir);

        assertThat(truth.manifest().path("format").asText()).isEqualTo("cdc-truth");
        assertThat(truth.manifest().path("version").asInt()).isEqualTo(1);
        assertThat(truth.manifest().path("producer").path("seed").asInt()).isEqualTo(42);
        assertThat(truth.manifest().path("tables").path("SALES.ORDERS").path("rows").asLong()).isEqualTo(1);
        assertThat(truth.manifest().path("tables").path("SALES.ORDERS").path("deleted").asLong()).isEqualTo(1);
        assertThat(truth.manifest().path("extracted").path("order_shipping").path("rows").asLong()).isEqualTo(1);
        assertThat(truth.manifest().path("enriched").path("rows").asLong()).isEqualTo(1);
        assertThat(truth.manifest().path("dead_letters").asLong()).isEqualTo(2);
    }

    @Test
    void tableFileIsOneJsonObjectPerLine() throws IOException {
        writeSmallTruth();

        List<String> lines = Files.readAllLines(TruthFiles.table(dir, ORDERS), StandardCharsets.UTF_8);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"key\":{\"ORDER_ID\":1001},\"deleted\":false,\"scn\":2122185,\"sequence\":0,\"row\":{")
                .contains("\"AMOUNT\":49.90");
        assertThat(lines.get(1)).isEqualTo("{\"key\":{\"ORDER_ID\":1002},\"deleted\":true,\"scn\":2122300,\"sequence\":2,\"row\":null}");
    }

    @Test
    void directoryWithoutManifestIsRefusedWithAClearMessage() throws IOException {
        // an interrupted generator leaves the data files but never the manifest
        TruthWriter writer = new TruthWriter(dir);
        writer.table(ORDERS, List.of("ORDER_ID"), List.of());

        assertThatThrownBy(() -> SourceTruth.read(dir))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("manifest.json")
                .hasMessageContaining("no truth manifest");
    }

    @Test
    void rewritingATruthRemovesTheOldManifestFirst() throws IOException {
        writeSmallTruth();

        new TruthWriter(dir);

        assertThat(dir.resolve(TruthFiles.MANIFEST)).doesNotExist();
    }

    @Test
    void wrongFormatVersionIsRefused() throws IOException {
        Files.writeString(dir.resolve(TruthFiles.MANIFEST), "{\"format\":\"cdc-truth\",\"version\":2,\"tables\":{}}");

        assertThatThrownBy(() -> SourceTruth.read(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a cdc-truth version 1 manifest")
                .hasMessageContaining("found cdc-truth 2");
    }

    @Test
    void wrongFormatNameIsRefused() throws IOException {
        Files.writeString(dir.resolve(TruthFiles.MANIFEST), "{\"format\":\"something-else\",\"version\":1}");

        assertThatThrownBy(() -> SourceTruth.read(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("found something-else 1");
    }

    // ------------------------------------------------------------------ changes and alerts

    private static final AlertRules BIG_ORDERS = AlertRules.of(List.of(
            AlertRule.above("big-order", ORDERS, "TOTAL_AMOUNT", new BigDecimal("5000"))));

    private static ChangeEvent change(Operation op, String before, String after, long scn, long sequence) {
        return AlertEvents.event(AlertEvents.schema(AlertEvents.DecimalMode.PRECISE), ORDERS, op,
                before == null ? null : AlertEvents.row("TOTAL_AMOUNT", new BigDecimal(before)),
                after == null ? null : AlertEvents.row("TOTAL_AMOUNT", new BigDecimal(after)), scn, sequence);
    }

    private static final ChangeEvent SMALL = change(Operation.CREATE, null, "10.00", 2_122_185L, 1);
    private static final ChangeEvent BIG = change(Operation.UPDATE, "10.00", "6001.50", 2_122_190L, 1);
    private static final ChangeEvent GONE = change(Operation.DELETE, "6001.50", null, 2_122_200L, 2);

    private void writeTruthWithEvents(AlertRules rules, ChangeEvent... published) throws IOException {
        TruthWriter writer = new TruthWriter(dir);
        TruthWriter.EventLog log = writer.openEventLog(rules);
        for (ChangeEvent e : published) {
            log.published(e);
        }
        writer.table(ORDERS, List.of("ORDER_ID"), List.of());
        writer.deadLetters(List.of());
        writer.manifest(Map.of("seed", 1));
    }

    @Test
    void theEventLogHasOneLinePerChangeAndOnePerAlertItRaised() throws IOException {
        writeTruthWithEvents(BIG_ORDERS, SMALL, BIG, GONE);

        assertThat(Files.readAllLines(dir.resolve(TruthFiles.CHANGES), StandardCharsets.UTF_8)).containsExactly(
                "{\"id\":\"SALES.ORDERS:2122185:1\",\"table\":\"SALES.ORDERS\",\"op\":\"c\"}",
                "{\"id\":\"SALES.ORDERS:2122190:1\",\"table\":\"SALES.ORDERS\",\"op\":\"u\"}",
                "{\"id\":\"SALES.ORDERS:2122200:2\",\"table\":\"SALES.ORDERS\",\"op\":\"d\"}");
        assertThat(Files.readAllLines(dir.resolve(TruthFiles.ALERTS), StandardCharsets.UTF_8)).containsExactly(
                "{\"id\":\"big-order:SALES.ORDERS:2122190:1\",\"rule\":\"big-order\",\"table\":\"SALES.ORDERS\","
                        + "\"key\":{\"ORDER_ID\":1001},\"event_id\":\"SALES.ORDERS:2122190:1\",\"event_time_ms\":1700000000000,"
                        + "\"column\":\"TOTAL_AMOUNT\",\"value\":6001.5,\"threshold\":5000,"
                        + "\"message\":\"TOTAL_AMOUNT 6001.50 above 5000\"}");
    }

    @Test
    void changesStreamBackAndAlertsReadBackWithTheirRules() throws IOException {
        writeTruthWithEvents(BIG_ORDERS, SMALL, BIG, GONE);

        SourceTruth truth = SourceTruth.read(dir);

        assertThat(truth.hasChanges()).isTrue();
        assertThat(truth.changeCount()).isEqualTo(3);
        try (Stream<ExpectedChange> changes = truth.changes()) {
            assertThat(changes.toList()).containsExactly(
                    new ExpectedChange(EventId.parse("SALES.ORDERS:2122185:1"), Operation.CREATE),
                    new ExpectedChange(EventId.parse("SALES.ORDERS:2122190:1"), Operation.UPDATE),
                    new ExpectedChange(EventId.parse("SALES.ORDERS:2122200:2"), Operation.DELETE));
        }
        assertThat(truth.changeIds()).isEqualTo(Set.of("SALES.ORDERS:2122185:1", "SALES.ORDERS:2122190:1", "SALES.ORDERS:2122200:2"));
        assertThat(truth.hasAlerts()).isTrue();
        assertThat(truth.alerts()).isEqualTo(BIG_ORDERS.evaluate(BIG)).hasSize(1);
        assertThat(truth.alertRules()).isEqualTo(BIG_ORDERS);
        assertThat(truth.manifest().path("changes").path("count").asLong()).isEqualTo(3);
        assertThat(truth.manifest().path("alerts").path("count").asLong()).isEqualTo(1);
        assertThat(truth.manifest().path("alerts").path("rules").path("big-order").path("threshold").asLong()).isEqualTo(5000);
    }

    @Test
    void withoutRulesTheAlertsFileIsThereAndEmpty() throws IOException {
        writeTruthWithEvents(AlertRules.none(), SMALL, BIG);

        SourceTruth truth = SourceTruth.read(dir);

        assertThat(dir.resolve(TruthFiles.ALERTS)).exists().isEmptyFile();
        assertThat(truth.hasAlerts()).isTrue();
        assertThat(truth.alerts()).isEmpty();
        assertThat(truth.alertRules().isEmpty()).isTrue();
        assertThat(truth.changeCount()).isEqualTo(2);
    }

    @Test
    void aTruthWithoutChangesOrAlertsReadsAsBefore() throws IOException {
        // what a truth written before these files existed looks like; the ODS verifier still reads it
        writeSmallTruth();

        SourceTruth truth = SourceTruth.read(dir);

        assertThat(dir.resolve(TruthFiles.CHANGES)).doesNotExist();
        assertThat(truth.hasChanges()).isFalse();
        assertThat(truth.changeCount()).isZero();
        try (Stream<ExpectedChange> changes = truth.changes()) {
            assertThat(changes).isEmpty();
        }
        assertThat(truth.changeIds()).isEmpty();
        assertThat(truth.hasAlerts()).isFalse();
        assertThat(truth.alerts()).isEmpty();
        assertThat(truth.alertRules().isEmpty()).isTrue();
        assertThat(truth.tables()).containsOnlyKeys(ORDERS);
    }

    @Test
    void alertsThatDisagreeWithTheManifestAreRefused() throws IOException {
        writeTruthWithEvents(BIG_ORDERS, SMALL, BIG);
        Files.writeString(dir.resolve(TruthFiles.ALERTS), "");

        assertThatThrownBy(() -> SourceTruth.read(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds 0 alerts, the manifest says 1");
    }

    @Test
    void changeIdsThatDisagreeWithTheManifestAreRefused() throws IOException {
        writeTruthWithEvents(BIG_ORDERS, SMALL, BIG);
        Files.writeString(dir.resolve(TruthFiles.CHANGES), "\n{\"id\":\"SALES.ORDERS:1:1\",\"table\":\"SALES.ORDERS\",\"op\":\"c\"}",
                java.nio.file.StandardOpenOption.APPEND);
        SourceTruth truth = SourceTruth.read(dir);

        assertThatThrownBy(truth::changeIds).isInstanceOf(IOException.class)
                .hasMessageContaining("holds 3 distinct change ids, the manifest counts 2");
    }

    @Test
    void aBrokenChangeLineIsNamed() throws IOException {
        writeTruthWithEvents(BIG_ORDERS, SMALL);
        Files.writeString(dir.resolve(TruthFiles.CHANGES), "{\"id\":\"nonsense\",\"op\":\"c\"}");
        SourceTruth truth = SourceTruth.read(dir);

        assertThatThrownBy(truth::changeIds).isInstanceOf(IOException.class)
                .hasMessageContaining(TruthFiles.CHANGES + " line 1: event id \"nonsense\"");
    }

    @Test
    void theEventLogCanBeOpenedOnce() throws IOException {
        TruthWriter writer = new TruthWriter(dir);
        try (TruthWriter.EventLog log = writer.openEventLog(AlertRules.none())) {
            assertThatThrownBy(() -> writer.openEventLog(AlertRules.none())).isInstanceOf(IllegalStateException.class);
            log.close();
            assertThatThrownBy(() -> log.published(SMALL)).isInstanceOf(IllegalStateException.class);
        }
    }
}
