package dev.cdc.ods.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.truth.ExpectedDeadLetter;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.GeneratorRun;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import dev.cdc.generator.output.MessageList;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.TestOds;
import dev.cdc.ods.schema.TableMapping;
import dev.cdc.ods.verify.OdsVerifier;
import dev.cdc.ods.verify.VerificationReport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ODS core against the generator's truth: every schema and XML scenario, malformed bodies and late
 * duplicates, applied in arrival orders shuffled at random and cut into random batches. Whatever the order, the
 * verifier must find the state tables, the extracted tables and the enriched orders equal to the truth, and the
 * DLQ must hold exactly the expected dead letters.
 */
class OdsTruthIT {

    @TempDir
    static Path dir;
    static TestOds ods;
    static List<BrokerMessage> messages;
    static SourceTruth truth;

    @BeforeAll
    static void generate() throws Exception {
        ods = TestOds.start(dir);
        GeneratorConfig config = GeneratorConfig.builder().seed(2026).rate(Rate.MAX).events(4_000L)
                .scenarios(Scenario.parseList("all")).snapshotOrders(60).build();
        MessageList out = new MessageList();
        GeneratorRun.run(config, out, dir.resolve("truth"), null);
        messages = List.copyOf(out.messages());
        truth = SourceTruth.read(dir.resolve("truth"));
    }

    @AfterAll
    static void stop() throws Exception {
        ods.close();
    }

    @Test
    void inSourceOrderTheOdsEqualsTheTruth() throws Exception {
        assertMatches(messages, 500);
    }

    @Test
    void inShuffledOrdersAndRandomBatchesTheOdsEqualsTheTruth() throws Exception {
        for (long seed : new long[] {1, 2, 3}) {
            List<BrokerMessage> shuffled = new ArrayList<>(messages);
            Collections.shuffle(shuffled, new Random(seed));
            assertMatches(shuffled, 1 + new Random(seed).nextInt(700));
        }
    }

    /**
     * As Spark's executors apply a batch: slices applied by writers at once, then the queued orders recomputed in
     * slices at once. A row's changes are spread over the slices at random (the guard, not the partitioning, must
     * keep them right), and every third batch dies after its changes landed, before any recompute, and is applied
     * again whole, as a restarted query does.
     */
    @Test
    void appliedInSlicesByWritersAtOnceWithBatchesDyingHalfwayTheOdsEqualsTheTruth() throws Exception {
        List<BrokerMessage> shuffled = new ArrayList<>(messages);
        Collections.shuffle(shuffled, new Random(7));
        OdsDatabase db = ods.freshDatabase();
        int slices = 3;
        List<OdsWriter> writers = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            writers.add(new OdsWriter(db.dataSource(), TestOds.options("truth-test")));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(slices);
        Random random = new Random(7);
        try {
            long id = 0;
            for (int from = 0; from < shuffled.size(); from += 400) {
                List<BrokerMessage> batch = shuffled.subList(from, Math.min(shuffled.size(), from + 400));
                List<List<BrokerMessage>> parts = new ArrayList<>();
                for (int i = 0; i < slices; i++) {
                    parts.add(new ArrayList<>());
                }
                batch.forEach(m -> parts.get(random.nextInt(slices)).add(m));
                List<java.util.concurrent.Callable<AppliedChanges>> apply = new ArrayList<>();
                for (int i = 0; i < slices; i++) {
                    int slice = i;
                    apply.add(() -> writers.get(slice).applyChanges(parts.get(slice)));
                }
                List<AppliedChanges> applied = new ArrayList<>();
                for (var f : pool.invokeAll(apply)) {
                    applied.add(f.get());
                }
                if (id % 3 == 1) {
                    // died here; the batch comes again whole
                    for (var f : pool.invokeAll(apply)) {
                        f.get();
                    }
                }
                List<java.util.concurrent.Callable<Integer>> recompute = new ArrayList<>();
                for (int i = 0; i < slices; i++) {
                    int slice = i;
                    recompute.add(() -> writers.get(slice).recomputeOrders(slice, slices));
                }
                for (var f : pool.invokeAll(recompute)) {
                    f.get();
                }
                writers.get(0).finishBatch(id++, batch.size(), AppliedChanges.sum(applied).newestCommitMs());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(writers.get(0).pendingOrders()).as("orders left queued").isZero();
        assertTruth(db, "3 writers at once");
    }

    private static void assertMatches(List<BrokerMessage> arrival, int batch) throws Exception {
        OdsDatabase db = ods.freshDatabase();
        OdsWriter writer = new OdsWriter(db.dataSource(), TestOds.options("truth-test"));
        long id = 0;
        for (int from = 0; from < arrival.size(); from += batch) {
            writer.apply(id++, arrival.subList(from, Math.min(arrival.size(), from + batch)));
        }
        assertTruth(db, "batch size " + batch);
    }

    private static void assertTruth(OdsDatabase db, String how) throws Exception {
        VerificationReport report = new OdsVerifier(db.dataSource(), TableMapping.defaults()).verify(truth);
        assertThat(report.matches()).as("%s:%n%s", how, report.render()).isTrue();

        List<String> expected = truth.deadLetters().stream()
                .map(d -> d.topic() + " " + reason(d.reason())).sorted().toList();
        List<String> found = TestOds.query(db, "SELECT topic, error_type FROM cdc_dlq").stream()
                .map(r -> r.get("topic") + " " + r.get("error_type")).sorted().toList();
        assertThat(found).as("dead letters").isEqualTo(expected);
        assertThat(revenueWindows(db)).as("5-minute revenue").isNotEmpty().isEqualTo(expectedRevenueWindows());
    }

    /** The windowed aggregate computed here from the truth's enriched orders, independently of the SQL. */
    private static Map<String, String> expectedRevenueWindows() {
        Map<String, java.util.Set<Object>> orders = new java.util.TreeMap<>();
        Map<String, BigDecimal> revenue = new java.util.TreeMap<>();
        for (Map<String, Object> order : truth.enriched()) {
            if (order.get("created_at") == null) {
                continue;
            }
            LocalDateTime created = LocalDateTime.parse((String) order.get("created_at"));
            LocalDateTime window = created.truncatedTo(ChronoUnit.HOURS).plusMinutes(created.getMinute() / 5 * 5L);
            Object tier = order.get("customer_tier") == null ? "UNKNOWN" : order.get("customer_tier");
            for (Object i : (List<?>) order.get("items")) {
                Map<?, ?> item = (Map<?, ?>) i;
                Object category = item.get("product_category") == null ? "UNKNOWN" : item.get("product_category");
                String cell = window + " " + tier + " " + category;
                orders.computeIfAbsent(cell, k -> new java.util.HashSet<>()).add(order.get("order_id"));
                BigDecimal subtotal = item.get("subtotal") == null ? BigDecimal.ZERO : new BigDecimal(item.get("subtotal").toString());
                revenue.merge(cell, subtotal, BigDecimal::add);
            }
        }
        Map<String, String> out = new java.util.TreeMap<>();
        orders.forEach((cell, ids) -> out.put(cell, ids.size() + " " + revenue.get(cell).stripTrailingZeros().toPlainString()));
        return out;
    }

    private static Map<String, String> revenueWindows(OdsDatabase db) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map<String, Object> r : TestOds.query(db, "SELECT * FROM cdc_order_revenue_5m")) {
            String window = ((java.sql.Timestamp) r.get("window_start")).toLocalDateTime().toString();
            out.put(window + " " + r.get("customer_tier") + " " + r.get("product_category"),
                    r.get("orders") + " " + ((BigDecimal) r.get("revenue")).stripTrailingZeros().toPlainString());
        }
        return out;
    }

    private static String reason(ExpectedDeadLetter.Reason reason) {
        return Map.of(ExpectedDeadLetter.Reason.MALFORMED_JSON, "MALFORMED_JSON",
                ExpectedDeadLetter.Reason.MALFORMED_XML, "MALFORMED_XML").get(reason);
    }
}
