package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import dev.cdc.generator.schema.DecimalMode;
import dev.cdc.generator.schema.SalesSchema;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator's configuration: the seed's defaults, every problem reported at once, and what the settings do. */
class GeneratorConfigTest {

    private static final Set<TableId> ALL = Set.of(SalesSchema.ORDERS, SalesSchema.ORDER_ITEMS, SalesSchema.CUSTOMERS,
            SalesSchema.PRODUCTS, SalesSchema.AUDIT_LOG);

    @Test
    void defaultsAreTheSeedsWorkload() {
        GeneratorConfig config = GeneratorConfig.builder().events(10L).build();

        assertThat(config.rate()).isEqualTo(Rate.parse("5000/min"));
        assertThat(config.decimalMode()).isEqualTo(DecimalMode.PRECISE);
        assertThat(config.tables()).isEqualTo(ALL);
        assertThat(config.scenarios()).isEmpty();
        assertThat(config.shares()).isEqualTo(Map.of(SalesSchema.ORDERS, 40, SalesSchema.ORDER_ITEMS, 40,
                SalesSchema.CUSTOMERS, 10, SalesSchema.PRODUCTS, 8, SalesSchema.AUDIT_LOG, 2));
        assertThat(config.mixes()).isEqualTo(Map.of(SalesSchema.ORDERS, new OperationMix(70, 25, 5),
                SalesSchema.ORDER_ITEMS, new OperationMix(80, 15, 5), SalesSchema.CUSTOMERS, new OperationMix(20, 75, 5),
                SalesSchema.PRODUCTS, new OperationMix(10, 85, 5), SalesSchema.AUDIT_LOG, new OperationMix(100, 0, 0)));
        assertThat(config.clock()).isEqualTo(GeneratorConfig.ClockMode.SIMULATED);
        assertThat(config.snapshotOrders()).isEqualTo(100);
        assertThat(config.serverName()).isEqualTo("server1");
        assertThat(config.duration()).isNull();
    }

    @Test
    void everyProblemIsReportedTogetherEachNamingItsSetting() {
        GeneratorConfig.Builder builder = GeneratorConfig.builder()
                .tables(Set.of())
                .snapshotOrders(-1)
                .duplicateRatio(0.9)
                .serverName("1st server");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--events or --duration: one is required")
                .hasMessageContaining("--tables: at least one table")
                .hasMessageContaining("--snapshot: must be 0 or more, was -1")
                .hasMessageContaining("duplicate ratio: must be in [0, 0.5], was 0.9")
                .hasMessageContaining("server name: letters, digits and _, starting with a letter or _, was 1st server")
                .hasMessageContaining("--shares: the captured tables' shares add up to 0")
                .satisfies(e -> assertThat(e.getMessage().split("; ")).hasSize(6));
    }

    @Test
    void countAndDurationMustBePositive() {
        assertThatThrownBy(() -> GeneratorConfig.builder().events(0L).duration(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("--events: must be positive, was 0")
                .hasMessageContaining("--duration: must be positive, was PT-1S");
        assertThatThrownBy(() -> GeneratorConfig.builder().duration(Duration.ZERO).build())
                .hasMessageContaining("--duration: must be positive, was PT0S");
        assertThat(GeneratorConfig.builder().duration(Duration.ofMinutes(5)).build().events()).isNull();
        assertThat(GeneratorConfig.builder().events(1L).duration(Duration.ofSeconds(1)).build().events()).isEqualTo(1L);
    }

    @Test
    void aTableWithoutShareOrMixAndSharesThatAddUpToNothingAreRefused() {
        TableId invoices = new TableId("SALES", "INVOICES");

        assertThatThrownBy(() -> GeneratorConfig.builder().events(1L).tables(Set.of(SalesSchema.ORDERS, invoices)).build())
                .hasMessageContaining("--tables: SALES.INVOICES has no share or operation mix");
        assertThatThrownBy(() -> GeneratorConfig.builder().events(1L).tables(Set.of(SalesSchema.AUDIT_LOG))
                .shares(Map.of(SalesSchema.AUDIT_LOG, 0)).build())
                .hasMessageContaining("--shares: the captured tables' shares add up to 0");
    }

    @Test
    void sharesAndMixesOverrideOnlyTheTablesGiven() {
        GeneratorConfig config = GeneratorConfig.builder().events(1L)
                .shares(Map.of(SalesSchema.ORDERS, 50))
                .mixes(Map.of(SalesSchema.PRODUCTS, new OperationMix(0, 100, 0)))
                .build();

        assertThat(config.shares()).containsEntry(SalesSchema.ORDERS, 50).containsEntry(SalesSchema.ORDER_ITEMS, 40)
                .containsEntry(SalesSchema.AUDIT_LOG, 2);
        assertThat(config.mixes()).containsEntry(SalesSchema.PRODUCTS, new OperationMix(0, 100, 0))
                .containsEntry(SalesSchema.ORDERS, new OperationMix(70, 25, 5));
    }

    @Test
    void aBuiltConfigIsImmutableAndToBuilderGivesItBack() {
        Set<TableId> tables = new LinkedHashSet<>(List.of(SalesSchema.ORDERS, SalesSchema.CUSTOMERS));
        GeneratorConfig config = GeneratorConfig.builder().events(5L).seed(7).tables(tables)
                .scenarios(Scenario.parseList("xml,F10")).decimalMode(DecimalMode.STRING).build();
        tables.add(SalesSchema.AUDIT_LOG);

        assertThat(config.tables()).containsExactlyInAnyOrder(SalesSchema.ORDERS, SalesSchema.CUSTOMERS);
        assertThatThrownBy(() -> config.tables().add(SalesSchema.AUDIT_LOG)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().seed(8).build()).isNotEqualTo(config);
    }

    @Test
    void describesItselfForTheTruthManifestInAStableOrder() {
        GeneratorConfig config = GeneratorConfig.builder().events(5L).seed(7)
                .scenarios(Scenario.parseList("X3,S1,F10")).decimalMode(DecimalMode.DOUBLE).build();

        Map<String, Object> described = config.describe();

        assertThat(described).containsEntry("seed", 7L).containsEntry("rate", "5000/min").containsEntry("events", 5L)
                .containsEntry("decimal_mode", "double").containsEntry("clock", "simulated")
                .containsEntry("server_name", "server1").containsEntry("snapshot_orders", 100);
        assertThat(described.get("scenarios")).isEqualTo(List.of("S1", "X3", "F10"));
        assertThat(described.get("tables")).isEqualTo(List.of("SALES.AUDIT_LOG", "SALES.CUSTOMERS", "SALES.ORDERS",
                "SALES.ORDER_ITEMS", "SALES.PRODUCTS"));
    }

    // ------------------------------------------------------------------ what the settings do

    /** Change events per table and operation over {@code messages} messages of {@code config}, generated in memory. */
    private static Map<TableId, Map<Operation, Integer>> generate(GeneratorConfig config, int messages) {
        ChangeGenerator generator = new ChangeGenerator(config, SourceClock.simulated(config.startTime(), config.rate()));
        Map<TableId, Map<Operation, Integer>> counts = new HashMap<>();
        for (int sent = 0; sent < messages; ) {
            List<GeneratedMessage> batch = generator.next(messages - sent);
            for (GeneratedMessage m : batch) {
                if (m.event() != null && m.event().op() != Operation.READ) {
                    counts.computeIfAbsent(m.event().table(), t -> new EnumMap<>(Operation.class)).merge(m.event().op(), 1, Integer::sum);
                }
            }
            sent += batch.size();
        }
        return counts;
    }

    private static double percent(Map<?, Integer> counts, Object key) {
        return 100.0 * counts.getOrDefault(key, 0) / counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void sharesAreRenormalisedOverTheCapturedTablesAndOthersAreNotEmitted() {
        GeneratorConfig config = GeneratorConfig.builder().events(20_000L).rate(Rate.MAX)
                .tables(Set.of(SalesSchema.ORDERS, SalesSchema.CUSTOMERS)).build();

        Map<TableId, Map<Operation, Integer>> counts = generate(config, 20_000);
        Map<TableId, Integer> perTable = new HashMap<>();
        counts.forEach((t, ops) -> perTable.put(t, ops.values().stream().mapToInt(Integer::intValue).sum()));

        assertThat(perTable.keySet()).containsExactlyInAnyOrder(SalesSchema.ORDERS, SalesSchema.CUSTOMERS);
        assertThat(percent(perTable, SalesSchema.ORDERS)).isCloseTo(80, within(2.0));
        assertThat(percent(perTable, SalesSchema.CUSTOMERS)).isCloseTo(20, within(2.0));
    }

    @Test
    void aConfiguredMixIsFollowed() {
        GeneratorConfig config = GeneratorConfig.builder().events(20_000L).rate(Rate.MAX)
                .mixes(Map.of(SalesSchema.ORDER_ITEMS, new OperationMix(50, 30, 20), SalesSchema.AUDIT_LOG, new OperationMix(60, 40, 0)))
                .build();

        Map<TableId, Map<Operation, Integer>> counts = generate(config, 20_000);

        Map<Operation, Integer> items = counts.get(SalesSchema.ORDER_ITEMS);
        assertThat(percent(items, Operation.CREATE)).isCloseTo(50, within(2.0));
        assertThat(percent(items, Operation.UPDATE)).isCloseTo(30, within(2.0));
        assertThat(percent(items, Operation.DELETE)).isCloseTo(20, within(2.0));
        // AUDIT_LOG is 2% of the changes: too few for a percentage check, enough to see updates and no delete
        assertThat(counts.get(SalesSchema.AUDIT_LOG)).containsKeys(Operation.CREATE, Operation.UPDATE)
                .doesNotContainKey(Operation.DELETE);
    }
}
