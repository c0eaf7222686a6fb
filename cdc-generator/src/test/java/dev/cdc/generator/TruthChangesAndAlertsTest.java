package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.alert.Alert;
import dev.cdc.common.alert.AlertRule;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import dev.cdc.common.truth.ExpectedChange;
import dev.cdc.common.truth.ExpectedDeadLetter;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.truth.TruthFiles;
import dev.cdc.generator.schema.DecimalMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The truth's {@code changes.jsonl} and {@code alerts.jsonl} say what Architecture B must deliver: every valid change
 * published, once, and the alerts the configured rules raise on those changes. Both are checked here against the
 * messages as a consumer reads them (decoded from the written file), in each decimal mode, in a run that plays every
 * scenario: malformed bodies (dead letters, no change), malformed XML (a valid change), late duplicates (counted once).
 */
class TruthChangesAndAlertsTest {

    /** The first delivery of each decodable message, in the order sent: the changes a consumer must pass on. */
    private static List<ChangeEvent> firstDeliveries(GeneratedRun run) {
        Set<String> seen = new HashSet<>();
        List<ChangeEvent> out = new ArrayList<>();
        for (GeneratedRun.Delivered d : run.delivered()) {
            if (d.event() != null && seen.add(d.event().eventId().toString())) {
                out.add(d.event());
            }
        }
        return out;
    }

    private static List<ExpectedChange> changes(SourceTruth truth) {
        try (Stream<ExpectedChange> changes = truth.changes()) {
            return changes.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(DecimalMode.class)
    void changesHoldEveryValidMessageOnceInTheOrderSent(DecimalMode mode) throws IOException {
        GeneratedRun run = Runs.allScenariosRun(mode);
        SourceTruth truth = run.truth();
        long malformedBodies = run.delivered().stream().filter(d -> d.event() == null).count();

        List<ExpectedChange> changes = changes(truth);

        assertThat(malformedBodies).isEqualTo(3);
        assertThat(run.summary.duplicates()).isPositive();
        assertThat(changes).hasSize((int) (run.summary.events() - malformedBodies - run.summary.duplicates()));
        assertThat(truth.changeCount()).isEqualTo(changes.size());
        assertThat(truth.manifest().path("producer").path("messages_sent").asLong()).isEqualTo(run.summary.events());
        assertThat(changes).extracting(c -> c.id().toString()).doesNotHaveDuplicates()
                .containsExactlyElementsOf(firstDeliveries(run).stream().map(e -> e.eventId().toString()).toList());
        assertThat(changes).extracting(ExpectedChange::op)
                .containsExactlyElementsOf(firstDeliveries(run).stream().map(ChangeEvent::op).toList());
        assertThat(truth.changeIds()).hasSize(changes.size());
    }

    @Test
    void aMalformedXmlDocumentIsStillAValidChange() {
        GeneratedRun run = Runs.allScenariosRun(DecimalMode.PRECISE);
        SourceTruth truth = run.truth();
        ExpectedDeadLetter xml = truth.deadLetters().stream()
                .filter(l -> l.reason() == ExpectedDeadLetter.Reason.MALFORMED_XML).findFirst().orElseThrow();

        ChangeEvent order = firstDeliveries(run).stream()
                .filter(e -> e.op() == Operation.CREATE && xml.key().equals(e.key())).findFirst().orElseThrow();

        assertThat(changes(truth)).contains(new ExpectedChange(order.eventId(), Operation.CREATE));
    }

    @ParameterizedTest
    @EnumSource(DecimalMode.class)
    void alertsAreWhatTheRulesRaiseOnTheDecodedChanges(DecimalMode mode) {
        GeneratedRun run = Runs.allScenariosRun(mode);
        SourceTruth truth = run.truth();
        AlertRules rules = Runs.shippedAlerts();

        List<Alert> raised = firstDeliveries(run).stream().flatMap(e -> rules.evaluate(e).stream()).toList();

        assertThat(truth.alerts()).containsExactlyElementsOf(raised);
        assertThat(truth.alerts()).extracting(Alert::id).doesNotHaveDuplicates();
        assertThat(truth.alertRules()).isEqualTo(rules);
        assertThat(truth.alerts()).extracting(Alert::rule).contains("big-order", "low-stock", "order-cancelled", "tier-change");
        // every alert points at a change the truth lists
        Set<String> ids = new HashSet<>(changes(truth).stream().map(c -> c.id().toString()).toList());
        assertThat(truth.alerts()).allSatisfy(a -> assertThat(ids).contains(a.eventId().toString()));
    }

    @Test
    void everyDecimalModePredictsTheSameAlerts() throws IOException {
        // same seed, same changes: only the encoding of decimals differs (the precise run is longer, so it is
        // compared on the changes the shorter runs also made)
        SourceTruth doubles = Runs.allScenariosRun(DecimalMode.DOUBLE).truth();
        SourceTruth strings = Runs.allScenariosRun(DecimalMode.STRING).truth();
        SourceTruth precise = Runs.allScenariosRun(DecimalMode.PRECISE).truth();
        Set<String> shortRun = doubles.changeIds();

        assertThat(doubles.alerts()).hasSizeGreaterThan(100).isEqualTo(strings.alerts());
        assertThat(precise.alerts().stream().filter(a -> shortRun.contains(a.eventId().toString())).toList())
                .isEqualTo(doubles.alerts());
    }

    @Test
    void aOneMinuteRunAtTheDefaultRateRaisesAFewPercentOfEachRulesChanges() {
        // 5,000 messages: one minute at the default 5,000/min (the rate only paces them; the content is the same)
        GeneratedRun run = GeneratedRun.of(GeneratorConfig.builder().rate(Rate.MAX).events(5_000L)
                .alerts(Runs.shippedAlerts()).build());
        SourceTruth truth = run.truth();
        Map<TableId, Long> changesPerTable = changes(truth).stream()
                .collect(Collectors.groupingBy(ExpectedChange::table, Collectors.counting()));
        Map<String, AlertRule> rules = truth.alertRules().rules().stream()
                .collect(Collectors.toMap(AlertRule::name, Function.identity()));

        Map<String, Long> perRule = truth.alerts().stream()
                .collect(Collectors.groupingBy(Alert::rule, TreeMap::new, Collectors.counting()));

        assertThat(perRule).containsOnlyKeys(rules.keySet());
        perRule.forEach((rule, count) -> {
            long relevant = changesPerTable.get(rules.get(rule).table());
            assertThat(count).as("%s: %d alerts of %d changes", rule, count, relevant)
                    .isPositive().isLessThan(relevant / 4);
        });
        assertThat(perRule.get("big-order")).isGreaterThan(20);
    }

    @Test
    void withoutRulesTheAlertsFileIsEmptyAndTheChangesAreStillRecorded(@TempDir Path dir) throws IOException {
        GeneratedRun run = GeneratedRun.generate(GeneratorConfig.builder().rate(Rate.MAX).events(600L)
                .snapshotOrders(20).build(), dir);
        SourceTruth truth = run.truth();

        assertThat(run.truthDir.resolve(TruthFiles.ALERTS)).exists().isEmptyFile();
        assertThat(truth.hasAlerts()).isTrue();
        assertThat(truth.alerts()).isEmpty();
        assertThat(truth.alertRules().isEmpty()).isTrue();
        assertThat(truth.changeCount()).isEqualTo(600);
        assertThat(truth.changeIds()).hasSize(600);
    }
}
