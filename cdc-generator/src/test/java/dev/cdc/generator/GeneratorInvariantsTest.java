package dev.cdc.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.TopicName;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.generator.schema.SalesSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What must hold for any run, checked over 100,000 messages of the default workload (seed fixed): shares and
 * operation mixes as configured, referential integrity at every SCN, SCN and transaction order, the snapshot first,
 * topics and properties as the event contract says, and byte-for-byte determinism.
 *
 * <p>The checks read the messages as the generator hands them to the sink (the file is 350 MB; decoding all of it
 * would dominate the module's test time). That the file decodes to the same events is checked here on the first
 * 10,000 messages, and on whole runs by {@link TruthReplayTest}.
 */
class GeneratorInvariantsTest {

    private static final long EVENTS = 100_000;
    private static final long SEED = 20_260_105L;
    /** Percentage points a measured share or mix may differ from the configured one. */
    private static final double TOLERANCE = 2.0;

    @TempDir
    static Path dir;

    private static GeneratedRun run;
    /** Every message of the run as the generator sent it, in emission order (row images cut to keys). */
    private static final List<ChangeEvent> events = new ArrayList<>();
    private static final List<Map<String, String>> properties = new ArrayList<>();
    private static final List<String> topics = new ArrayList<>();
    /** Messages that are not change events: none in a run without scenarios. */
    private static final List<String> notEvents = new ArrayList<>();

    @BeforeAll
    static void generateOnce() throws IOException {
        GeneratorConfig config = GeneratorConfig.builder().seed(SEED).events(EVENTS).rate(Rate.MAX).build();
        run = GeneratedRun.generate(config, Files.createDirectories(dir.resolve("first")), m -> {
            if (m.event() == null) {
                notEvents.add(m.topic() + ": raw body " + m.rawBody());
                return;
            }
            events.add(slim(m.event()));
            properties.add(m.properties());
            topics.add(m.topic());
        });
    }

    /** Keeps only what the checks read: 100,000 full row images are not needed in memory. */
    private static ChangeEvent slim(ChangeEvent e) {
        return new ChangeEvent(e.valueSchema(), e.op(), slimImage(e.table(), e.before()), slimImage(e.table(), e.after()),
                e.source(), e.tsMs(), e.transaction(), e.key());
    }

    private static Map<String, Object> slimImage(TableId table, Map<String, Object> image) {
        if (image == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String column : List.of(keyColumn(table), "CUSTOMER_ID", "ORDER_ID", "PRODUCT_ID")) {
            if (image.containsKey(column)) {
                out.put(column, image.get(column));
            }
        }
        return out;
    }

    private static String keyColumn(TableId table) {
        return SalesSchema.table(table.table()).keyColumn();
    }

    private static boolean isChange(ChangeEvent e) {
        return e.op() != Operation.READ;
    }

    @Test
    void everyMessageIsAChangeEventAndTheRunHasTheRequestedSize() {
        assertThat(notEvents).isEmpty();
        assertThat(events).hasSize((int) EVENTS);
        assertThat(run.summary.events()).isEqualTo(EVENTS);
        assertThat(run.summary.duplicates()).isZero();
    }

    @Test
    void theFileOfAShorterRunDecodesToTheseEvents() throws IOException {
        GeneratedRun shorter = GeneratedRun.generate(run.config.toBuilder().events(10_000L).build(),
                Files.createDirectories(dir.resolve("shorter")));
        List<Long> compared = new ArrayList<>();
        // all but the last transaction of the shorter run, which may be cut to fit its budget
        shorter.forEach(i -> i < 9_990, d -> {
            int i = (int) d.index();
            assertThat(d.error()).as("message %d", i).isNull();
            assertThat(d.message().topic()).isEqualTo(topics.get(i));
            assertThat(d.message().properties()).isEqualTo(properties.get(i));
            ChangeEvent decoded = d.event();
            ChangeEvent sent = events.get(i);
            assertThat(decoded.source()).as("message %d", i).isEqualTo(sent.source());
            assertThat(decoded.transaction()).isEqualTo(sent.transaction());
            assertThat(decoded.op()).isEqualTo(sent.op());
            assertThat(decoded.tsMs()).isEqualTo(sent.tsMs());
            assertThat(slimImage(decoded.table(), decoded.row())).isEqualTo(sent.row());
            compared.add(d.index());
        });
        assertThat(compared).hasSize(9_990);
    }

    // ------------------------------------------------------------------ (a) shares, (b) operation mixes

    @Test
    void changeEventsAreSpreadOverTheTablesByTheConfiguredShares() {
        Map<TableId, Long> perTable = new HashMap<>();
        long changes = 0;
        for (ChangeEvent e : events) {
            if (isChange(e)) {
                perTable.merge(e.table(), 1L, Long::sum);
                changes++;
            }
        }
        assertThat(changes).isGreaterThan(EVENTS * 9 / 10);
        for (Map.Entry<TableId, Integer> share : GeneratorConfig.DEFAULT_SHARES.entrySet()) {
            double measured = 100.0 * perTable.getOrDefault(share.getKey(), 0L) / changes;
            assertThat(measured).as("share of %s in %,d change events (configured %d%%)", share.getKey(), changes, share.getValue())
                    .isCloseTo(share.getValue(), within(TOLERANCE));
        }
    }

    @Test
    void operationsOfEachTableFollowTheConfiguredMix() {
        Map<TableId, Map<Operation, Long>> perTable = new HashMap<>();
        for (ChangeEvent e : events) {
            if (isChange(e)) {
                perTable.computeIfAbsent(e.table(), t -> new EnumMap<>(Operation.class)).merge(e.op(), 1L, Long::sum);
            }
        }
        List<String> measured = new ArrayList<>();
        List<String> off = new ArrayList<>();
        for (Map.Entry<TableId, OperationMix> mix : GeneratorConfig.DEFAULT_MIXES.entrySet()) {
            Map<Operation, Long> ops = perTable.getOrDefault(mix.getKey(), Map.of());
            long total = ops.values().stream().mapToLong(Long::longValue).sum();
            double insert = 100.0 * ops.getOrDefault(Operation.CREATE, 0L) / total;
            double update = 100.0 * ops.getOrDefault(Operation.UPDATE, 0L) / total;
            double delete = 100.0 * ops.getOrDefault(Operation.DELETE, 0L) / total;
            String line = String.format(Locale.ROOT, "%s: %.2f/%.2f/%.2f of %,d (configured %s)",
                    mix.getKey(), insert, update, delete, total, mix.getValue());
            measured.add(line);
            if (Math.abs(insert - mix.getValue().insert()) > TOLERANCE || Math.abs(update - mix.getValue().update()) > TOLERANCE
                    || Math.abs(delete - mix.getValue().delete()) > TOLERANCE) {
                off.add(line);
            }
        }
        assertThat(off).as("mixes more than %.0f points off; all measured: %s", TOLERANCE, measured).isEmpty();
    }

    // ------------------------------------------------------------------ (c) referential integrity

    @Test
    void referentialIntegrityHoldsAtEveryScn() {
        Set<Long> customers = new HashSet<>();
        Set<Long> products = new HashSet<>();
        Map<Long, Long> orderCustomer = new HashMap<>();
        Map<Long, long[]> itemParents = new HashMap<>();
        Map<Long, Integer> ordersPerCustomer = new HashMap<>();
        Map<Long, Integer> itemsPerOrder = new HashMap<>();
        Map<Long, Integer> itemsPerProduct = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (ChangeEvent e : events) {
            TableId table = e.table();
            Map<String, Object> row = e.row();
            long key = (Long) row.get(keyColumn(table));
            String at = e.op().code() + " " + table + " " + key + " at scn " + e.source().scn();
            boolean write = e.op() != Operation.DELETE;
            if (table.equals(SalesSchema.CUSTOMERS)) {
                if (write) {
                    customers.add(key);
                } else if (ordersPerCustomer.getOrDefault(key, 0) > 0) {
                    violations.add(at + ": still referenced by " + ordersPerCustomer.get(key) + " live orders");
                } else {
                    customers.remove(key);
                }
            } else if (table.equals(SalesSchema.PRODUCTS)) {
                if (write) {
                    products.add(key);
                } else if (itemsPerProduct.getOrDefault(key, 0) > 0) {
                    violations.add(at + ": still referenced by " + itemsPerProduct.get(key) + " live items");
                } else {
                    products.remove(key);
                }
            } else if (table.equals(SalesSchema.ORDERS)) {
                Long previous = orderCustomer.get(key);
                if (write) {
                    long customer = (Long) row.get("CUSTOMER_ID");
                    if (previous == null || previous != customer) {
                        if (!customers.contains(customer)) {
                            violations.add(at + ": references customer " + customer + " which is not live");
                        }
                        if (previous != null) {
                            ordersPerCustomer.merge(previous, -1, Integer::sum);
                        }
                        ordersPerCustomer.merge(customer, 1, Integer::sum);
                        orderCustomer.put(key, customer);
                    }
                } else if (itemsPerOrder.getOrDefault(key, 0) > 0) {
                    violations.add(at + ": still referenced by " + itemsPerOrder.get(key) + " live items");
                } else if (previous != null) {
                    ordersPerCustomer.merge(previous, -1, Integer::sum);
                    orderCustomer.remove(key);
                }
            } else if (table.equals(SalesSchema.ORDER_ITEMS)) {
                long[] previous = itemParents.get(key);
                if (write) {
                    long order = (Long) row.get("ORDER_ID");
                    long product = (Long) row.get("PRODUCT_ID");
                    if (previous == null || previous[0] != order || previous[1] != product) {
                        if (!orderCustomer.containsKey(order)) {
                            violations.add(at + ": references order " + order + " which is not live");
                        }
                        if (!products.contains(product)) {
                            violations.add(at + ": references product " + product + " which is not live");
                        }
                        if (previous != null) {
                            itemsPerOrder.merge(previous[0], -1, Integer::sum);
                            itemsPerProduct.merge(previous[1], -1, Integer::sum);
                        }
                        itemsPerOrder.merge(order, 1, Integer::sum);
                        itemsPerProduct.merge(product, 1, Integer::sum);
                        itemParents.put(key, new long[] {order, product});
                    }
                } else if (previous != null) {
                    itemsPerOrder.merge(previous[0], -1, Integer::sum);
                    itemsPerProduct.merge(previous[1], -1, Integer::sum);
                    itemParents.remove(key);
                }
            }
            if (violations.size() > 20) {
                break;
            }
        }
        assertThat(violations).isEmpty();
        // the check saw real work: parents were deleted, children inserted
        assertThat(itemParents).hasSizeGreaterThan(10_000);
        assertThat(events.stream().filter(e -> e.op() == Operation.DELETE && !e.table().equals(SalesSchema.ORDER_ITEMS)).count())
                .isGreaterThan(1_000);
    }

    // ------------------------------------------------------------------ (d) snapshot, SCNs, transactions, topics, properties

    @Test
    void theSnapshotComesFirstAndItsLastRowSaysSo() {
        int snapshotRows = 0;
        while (snapshotRows < events.size() && events.get(snapshotRows).op() == Operation.READ) {
            snapshotRows++;
        }
        assertThat(snapshotRows).as("snapshot rows at the start").isGreaterThan(300);
        List<ChangeEvent> snapshot = events.subList(0, snapshotRows);
        assertThat(events.subList(snapshotRows, events.size())).noneMatch(e -> e.op() == Operation.READ);
        assertThat(snapshot.subList(0, snapshotRows - 1)).allMatch(e -> "true".equals(e.source().snapshot()));
        assertThat(snapshot.get(snapshotRows - 1).source().snapshot()).isEqualTo("last");
        assertThat(events.subList(snapshotRows, events.size())).allMatch(e -> "false".equals(e.source().snapshot()));
        assertThat(snapshot).allMatch(e -> e.before() == null && e.transaction() == null && e.source().txId() == null);
        assertThat(snapshot).extracting(e -> e.table().table()).containsOnly("CUSTOMERS", "PRODUCTS", "ORDERS", "ORDER_ITEMS");
    }

    @Test
    void scnsStrictlyIncreaseAcrossChangesAboveTheSharedSnapshotScn() {
        Set<String> snapshotScns = new HashSet<>();
        long maxSnapshotScn = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        List<String> problems = new ArrayList<>();
        for (ChangeEvent e : events) {
            long scn = Long.parseLong(e.source().scn());
            if (e.op() == Operation.READ) {
                snapshotScns.add(e.source().scn());
                maxSnapshotScn = Math.max(maxSnapshotScn, scn);
                continue;
            }
            if (previous == Long.MIN_VALUE && scn <= maxSnapshotScn) {
                problems.add("first change scn " + scn + " not above the snapshot scn " + maxSnapshotScn);
            }
            if (scn <= previous) {
                problems.add("scn " + scn + " after " + previous + " (" + e.table() + " " + e.op() + ")");
            }
            previous = scn;
        }
        assertThat(snapshotScns).as("snapshot rows share one SCN").hasSize(1);
        assertThat(problems).isEmpty();
    }

    @Test
    void changesOfOneTransactionShareTxIdAndCommitScnAndAreContiguous() {
        Map<String, String> commitScnByTx = new HashMap<>();
        Set<String> closed = new HashSet<>();
        String current = null;
        long lastCommit = Long.MIN_VALUE;
        long lastTotalOrder = 0;
        List<String> problems = new ArrayList<>();
        int multiChange = 0;
        int txSize = 0;
        for (ChangeEvent e : events) {
            if (e.op() == Operation.READ) {
                continue;
            }
            SourceInfo s = e.source();
            TransactionInfo tx = e.transaction();
            if (s.txId() == null || tx == null || !s.txId().equals(tx.id())) {
                problems.add("scn " + s.scn() + ": txId " + s.txId() + " vs transaction block " + tx);
                continue;
            }
            if (!s.txId().equals(current)) {
                if (current != null) {
                    closed.add(current);
                    multiChange += txSize > 1 ? 1 : 0;
                }
                if (closed.contains(s.txId())) {
                    problems.add("transaction " + s.txId() + " resumes after another one");
                }
                long commit = Long.parseLong(s.commitScn());
                if (commit <= lastCommit) {
                    problems.add("commit scn " + commit + " of " + s.txId() + " not after the previous commit " + lastCommit);
                }
                lastCommit = commit;
                current = s.txId();
                lastTotalOrder = 0;
                txSize = 0;
            }
            txSize++;
            String commitScn = commitScnByTx.putIfAbsent(s.txId(), s.commitScn());
            if (commitScn != null && !commitScn.equals(s.commitScn())) {
                problems.add(s.txId() + ": commit scn " + s.commitScn() + " and " + commitScn);
            }
            if (Long.parseLong(s.commitScn()) < Long.parseLong(s.scn())) {
                problems.add(s.txId() + ": commit scn " + s.commitScn() + " below change scn " + s.scn());
            }
            if (tx.totalOrder() <= lastTotalOrder) {
                problems.add(s.txId() + ": total_order " + tx.totalOrder() + " after " + lastTotalOrder);
            }
            lastTotalOrder = tx.totalOrder();
            if (problems.size() > 20) {
                break;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(multiChange).as("transactions of several changes").isGreaterThan(1_000);
    }

    @Test
    void topicsFollowTheContractAndNameTheOperation() {
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent e = events.get(i);
            String expected = "cdc/oracle/SALES/" + e.source().table() + "/" + e.op().topicLevel();
            if (!topics.get(i).equals(expected)) {
                fail("message %d: topic %s, expected %s", i, topics.get(i), expected);
            }
            TopicName parsed = TopicName.parse(topics.get(i));
            assertThat(parsed.operation()).isEqualTo(e.op());
            assertThat(parsed.table()).isEqualTo(e.table());
        }
        // four tables with snapshot, insert, update and delete; AUDIT_LOG is insert-only and not in the snapshot
        assertThat(new HashSet<>(topics)).hasSize(4 * 4 + 1);
    }

    @Test
    void propertiesCarryThePrimaryKeyOfTheRowImageAndTheScn() {
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent e = events.get(i);
            Map<String, String> p = properties.get(i);
            String keyColumn = keyColumn(e.table());
            Map<String, Object> expectedKey = Map.of(keyColumn, e.row().get(keyColumn));
            if (!DebeziumJsonCodec.parseKey(p.get(MessageProperties.KEY)).equals(expectedKey)
                    || !p.get(MessageProperties.SCN).equals(e.source().scn())) {
                fail("message %d (%s %s): properties %s, row key %s, scn %s", i, e.table(), e.op(), p, expectedKey, e.source().scn());
            }
        }
        assertThat(properties).allMatch(p -> p.keySet().equals(Set.of(MessageProperties.KEY, MessageProperties.SCN)));
    }

    @Test
    void positionsOfOneRowOnlyGrow() {
        Map<String, Position> last = new HashMap<>();
        for (ChangeEvent e : events) {
            String row = e.table() + DebeziumJsonCodec.keyJson(e.key());
            Position previous = last.put(row, e.position());
            if (previous != null && !e.position().isAfter(previous)) {
                fail("%s: position %s after %s", row, e.position(), previous);
            }
        }
    }

    // ------------------------------------------------------------------ (e) determinism

    @Test
    void sameSeedAndFlagsGiveAByteIdenticalFileAndTruth() throws IOException {
        GeneratedRun again = GeneratedRun.generate(run.config, Files.createDirectories(dir.resolve("again")));

        assertThat(Files.mismatch(run.file, again.file)).as("first differing byte").isEqualTo(-1L);
        assertThat(Files.size(again.file)).isGreaterThan(50_000_000L);
        try (Stream<Path> files = Files.walk(run.truthDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.mismatch(f, again.truthDir.resolve(run.truthDir.relativize(f)))).as(f.toString()).isEqualTo(-1L);
            }
        }
    }

    @Test
    void anotherSeedGivesAnotherFileAndALongerRunStartsAsTheShorterOne() throws IOException {
        GeneratedRun same = GeneratedRun.generate(run.config.toBuilder().events(10_000L).build(),
                Files.createDirectories(dir.resolve("same-10k")));
        GeneratedRun other = GeneratedRun.generate(run.config.toBuilder().seed(SEED + 1).events(10_000L).build(),
                Files.createDirectories(dir.resolve("other-10k")));

        assertThat(Files.mismatch(same.file, other.file)).isNotEqualTo(-1L);
        // the seed alone decides what happens: only the shorter run's last transaction may differ, cut to its budget
        try (var lines = Files.lines(run.file); var shortLines = Files.lines(same.file)) {
            assertThat(lines.limit(9_990).toList()).isEqualTo(shortLines.limit(9_990).toList());
        }
    }
}
