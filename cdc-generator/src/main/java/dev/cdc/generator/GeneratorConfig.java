package dev.cdc.generator;

import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.event.TableId;
import dev.cdc.generator.schema.DecimalMode;
import dev.cdc.generator.schema.SalesSchema;
import dev.cdc.generator.schema.TableDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything that shapes a generator run, validated when built: every problem is reported together, each naming
 * its setting.
 *
 * @param events stop after this many messages (null: no limit)
 * @param duration stop after this long (null: no limit); at least one of events and duration is set
 * @param tables the captured tables; others are not emitted and not in the truth
 * @param shares percent of change events per table (renormalised over the captured tables)
 * @param snapshotOrders orders in the initial snapshot (customers and products: half as many each; 1-3 items per order)
 * @param clock "simulated" (deterministic) or "wall"
 * @param alerts the alert rules whose alerts the truth predicts ({@code alerts.jsonl}): the configuration's
 *               ({@link AlertRules#load}), so the truth expects what Architecture B is configured to raise
 * @param shippingItems items in every new or changed order's SHIPPING_INFO document (0: 1-4, as an order has;
 *                      10,000 make a document of about 1 MB, for memory-bound runs such as scenario F8)
 */
public record GeneratorConfig(long seed, Rate rate, Long events, Duration duration, DecimalMode decimalMode,
                              Set<TableId> tables, Set<Scenario> scenarios, Map<TableId, Integer> shares,
                              Map<TableId, OperationMix> mixes, int snapshotOrders, String serverName,
                              ClockMode clock, Instant startTime, double duplicateRatio, AlertRules alerts,
                              int shippingItems) {

    public enum ClockMode { SIMULATED, WALL }

    public static final Map<TableId, Integer> DEFAULT_SHARES = orderedMap(
            SalesSchema.ORDERS, 40, SalesSchema.ORDER_ITEMS, 40, SalesSchema.CUSTOMERS, 10,
            SalesSchema.PRODUCTS, 8, SalesSchema.AUDIT_LOG, 2);

    public static final Map<TableId, OperationMix> DEFAULT_MIXES = orderedMap(
            SalesSchema.ORDERS, new OperationMix(70, 25, 5), SalesSchema.ORDER_ITEMS, new OperationMix(80, 15, 5),
            SalesSchema.CUSTOMERS, new OperationMix(20, 75, 5), SalesSchema.PRODUCTS, new OperationMix(10, 85, 5),
            SalesSchema.AUDIT_LOG, new OperationMix(100, 0, 0));

    public GeneratorConfig {
        tables = Set.copyOf(new LinkedHashSet<>(tables));
        scenarios = scenarios.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scenarios));
        shares = Map.copyOf(shares);
        mixes = Map.copyOf(mixes);
        alerts = alerts == null ? AlertRules.none() : alerts;
        List<String> problems = new ArrayList<>();
        if (rate == null || decimalMode == null || clock == null || startTime == null) {
            problems.add("rate, decimal mode, clock and start time are required");
        }
        shares.forEach((table, share) -> {
            if (share == null || share < 0 || share > 100) {
                problems.add("--shares: " + table + " must be a percentage 0-100, was " + share);
            }
        });
        if (events == null && duration == null) {
            problems.add("--events or --duration: one is required");
        }
        if (events != null && events <= 0) {
            problems.add("--events: must be positive, was " + events);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            problems.add("--duration: must be positive, was " + duration);
        }
        if (tables.isEmpty()) {
            problems.add("--tables: at least one table");
        }
        if (snapshotOrders < 0) {
            problems.add("--snapshot: must be 0 or more, was " + snapshotOrders);
        }
        if (shippingItems < 0 || shippingItems > 100_000) {
            problems.add("shipping items: must be in [0, 100000], was " + shippingItems);
        }
        if (duplicateRatio < 0 || duplicateRatio > 0.5) {
            problems.add("duplicate ratio: must be in [0, 0.5], was " + duplicateRatio);
        }
        if (serverName == null || !serverName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problems.add("server name: letters, digits and _, starting with a letter or _, was " + serverName);
        }
        for (TableId t : tables) {
            if (!shares.containsKey(t) || !mixes.containsKey(t)) {
                problems.add("--tables: " + t + " has no share or operation mix");
            }
        }
        int capturedShares = 0;
        for (TableId t : tables) {
            capturedShares += shares.getOrDefault(t, 0);
        }
        if (capturedShares <= 0) {
            problems.add("--shares: the captured tables' shares add up to 0");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * The seed's defaults: 5,000 events/min, every table, precise decimals, no scenario, simulated clock, no alert
     * rules.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.rate = rate;
        b.events = events;
        b.duration = duration;
        b.decimalMode = decimalMode;
        b.tables = tables;
        b.scenarios = scenarios;
        b.shares = shares;
        b.mixes = mixes;
        b.snapshotOrders = snapshotOrders;
        b.serverName = serverName;
        b.clock = clock;
        b.startTime = startTime;
        b.duplicateRatio = duplicateRatio;
        b.alerts = alerts;
        b.shippingItems = shippingItems;
        return b;
    }

    /** Builds a config from the defaults; {@link #build()} validates everything at once. */
    public static final class Builder {
        private long seed = 42;
        private Rate rate = Rate.parse("5000/min");
        private Long events;
        private Duration duration;
        private DecimalMode decimalMode = DecimalMode.PRECISE;
        private Set<TableId> tables = allTables();
        private Set<Scenario> scenarios = Set.of();
        private Map<TableId, Integer> shares = DEFAULT_SHARES;
        private Map<TableId, OperationMix> mixes = DEFAULT_MIXES;
        private int snapshotOrders = 100;
        private String serverName = "server1";
        private ClockMode clock = ClockMode.SIMULATED;
        private Instant startTime = Instant.parse("2026-01-05T08:00:00Z");
        private double duplicateRatio = 0.02;
        private AlertRules alerts = AlertRules.none();
        private int shippingItems;

        private Builder() {
        }

        private static Set<TableId> allTables() {
            Set<TableId> all = new LinkedHashSet<>();
            for (TableDefinition t : SalesSchema.TABLES) {
                all.add(t.id());
            }
            return all;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder rate(Rate value) {
            rate = value;
            return this;
        }

        public Builder events(Long value) {
            events = value;
            return this;
        }

        public Builder duration(Duration value) {
            duration = value;
            return this;
        }

        public Builder decimalMode(DecimalMode value) {
            decimalMode = value;
            return this;
        }

        public Builder tables(Set<TableId> value) {
            tables = value;
            return this;
        }

        public Builder scenarios(Set<Scenario> value) {
            scenarios = value;
            return this;
        }

        /** Overrides the share of some tables; the others keep theirs. */
        public Builder shares(Map<TableId, Integer> value) {
            Map<TableId, Integer> merged = new LinkedHashMap<>(shares);
            merged.putAll(value);
            shares = merged;
            return this;
        }

        /** Overrides the operation mix of some tables; the others keep theirs. */
        public Builder mixes(Map<TableId, OperationMix> value) {
            Map<TableId, OperationMix> merged = new LinkedHashMap<>(mixes);
            merged.putAll(value);
            mixes = merged;
            return this;
        }

        public Builder snapshotOrders(int value) {
            snapshotOrders = value;
            return this;
        }

        public Builder serverName(String value) {
            serverName = value;
            return this;
        }

        public Builder clock(ClockMode value) {
            clock = value;
            return this;
        }

        public Builder startTime(Instant value) {
            startTime = value;
            return this;
        }

        public Builder duplicateRatio(double value) {
            duplicateRatio = value;
            return this;
        }

        /** The alert rules the truth predicts alerts with; usually {@code AlertRules.load(configuration)}. */
        public Builder alerts(AlertRules value) {
            alerts = value;
            return this;
        }

        /** Items in every generated SHIPPING_INFO document; 0 (the default) draws 1-4. */
        public Builder shippingItems(int value) {
            shippingItems = value;
            return this;
        }

        public GeneratorConfig build() {
            return new GeneratorConfig(seed, rate, events, duration, decimalMode, tables, scenarios, shares, mixes,
                    snapshotOrders, serverName, clock, startTime, duplicateRatio, alerts, shippingItems);
        }
    }

    public boolean captures(TableId table) {
        return tables.contains(table);
    }

    /** What the truth manifest records about the run that made it. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", seed);
        out.put("rate", rate.toString());
        out.put("events", events);
        out.put("duration", duration == null ? null : duration.toString());
        out.put("decimal_mode", decimalMode.toString());
        out.put("tables", tables.stream().map(TableId::toString).sorted().toList());
        out.put("scenarios", scenarios.stream().sorted().map(Scenario::name).toList());
        out.put("snapshot_orders", snapshotOrders);
        out.put("server_name", serverName);
        out.put("clock", clock.name().toLowerCase(java.util.Locale.ROOT));
        if (shippingItems > 0) {
            out.put("shipping_items", shippingItems);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<TableId, V> orderedMap(Object... pairs) {
        Map<TableId, V> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((TableId) pairs[i], (V) pairs[i + 1]);
        }
        return map;
    }
}
