package dev.cdc.generator.source;

import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.common.event.Unavailable;
import dev.cdc.generator.SourceClock;
import dev.cdc.generator.schema.Column;
import dev.cdc.generator.schema.DecimalMode;
import dev.cdc.generator.schema.TableDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The simulated Oracle database: tables, SCNs and transactions, and the change events the Debezium connector would
 * emit for each committed change. Every change gets its own SCN; the changes of one transaction share a txId and a
 * commit SCN. Only captured tables produce events; the others change silently (they exist in the source, the
 * connector just does not capture them).
 */
public final class SimulatedDatabase {

    public static final String CONNECTOR_VERSION = "2.7.3.Final";
    public static final String DATABASE = "ORCLPDB1";

    private final Map<TableId, SourceTable> tables = new LinkedHashMap<>();
    private final Set<TableId> captured;
    private final SourceClock clock;
    private final RandomGenerator random;
    private final String serverName;
    private long scn = 2_000_000;
    private long txCounter;
    private final List<PendingChange> pending = new ArrayList<>();
    private String txId;

    public SimulatedDatabase(List<TableDefinition> definitions, Set<TableId> captured, DecimalMode mode,
                             String serverName, SourceClock clock, RandomGenerator random) {
        for (TableDefinition d : definitions) {
            tables.put(d.id(), new SourceTable(d, mode, serverName));
        }
        this.captured = Set.copyOf(captured);
        this.serverName = serverName;
        this.clock = clock;
        this.random = random;
    }

    public SourceTable table(TableId id) {
        SourceTable t = tables.get(id);
        if (t == null) {
            throw new IllegalArgumentException("no table " + id);
        }
        return t;
    }

    public boolean captures(TableId id) {
        return captured.contains(id);
    }

    public SourceClock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ snapshot

    /** A row read by the initial snapshot: stored at the snapshot SCN and returned as an op=r event (null if not captured). */
    public ChangeEvent snapshotRow(TableId id, Object[] values, long sequence) {
        SourceTable t = table(id);
        long key = (Long) values[t.columnIndex(t.keyColumn())];
        Position position = new Position(scn, sequence);
        t.insert(key, values, position);
        if (!captures(id)) {
            return null;
        }
        long now = clock.millis();
        SourceInfo source = new SourceInfo(CONNECTOR_VERSION, "oracle", serverName, now, "true", DATABASE,
                Long.toString(sequence), id.schema(), id.table(), null, Long.toString(scn), null);
        return new ChangeEvent(t.valueSchema(), Operation.READ, null, t.view(values), source, now, null, t.key(key));
    }

    /** Ends the snapshot: later changes get SCNs above the snapshot's. */
    public void endSnapshot() {
        scn += 10;
    }

    // ------------------------------------------------------------------ transactions

    public void begin() {
        if (txId != null) {
            throw new IllegalStateException("transaction " + txId + " is still open");
        }
        txCounter++;
        // Oracle's XID form: undo segment, slot, sequence, in hex (not String.format: it parses its pattern per call)
        txId = hex(1 + txCounter % 16, 4) + hex(txCounter % 4096, 4) + hex(txCounter, 8);
    }

    public void insert(TableId id, Object[] values) {
        SourceTable t = table(id);
        long key = (Long) values[t.columnIndex(t.keyColumn())];
        Position position = nextPosition();
        t.insert(key, values, position);
        pending.add(new PendingChange(t, Operation.CREATE, key, null, values, position));
    }

    public void update(TableId id, long key, Object[] newValues) {
        SourceTable t = table(id);
        Object[] old = t.row(key).values;
        Position position = nextPosition();
        t.update(key, newValues, position);
        pending.add(new PendingChange(t, Operation.UPDATE, key, old, newValues, position));
    }

    public void delete(TableId id, long key) {
        SourceTable t = table(id);
        Object[] old = t.row(key).values;
        Position position = nextPosition();
        t.delete(key, position);
        pending.add(new PendingChange(t, Operation.DELETE, key, old, null, position));
    }

    /** Commits the open transaction; returns the events of its captured changes, in change order. */
    public List<ChangeEvent> commit() {
        if (txId == null) {
            throw new IllegalStateException("no open transaction");
        }
        long commitScn = ++scn;
        long now = clock.millis();
        List<ChangeEvent> events = new ArrayList<>(pending.size());
        int order = 0;
        Map<TableId, Integer> perTable = new HashMap<>();
        for (PendingChange c : pending) {
            order++;
            if (!captures(c.table.id())) {
                continue;
            }
            int tableOrder = perTable.merge(c.table.id(), 1, Integer::sum);
            SourceInfo source = new SourceInfo(CONNECTOR_VERSION, "oracle", serverName, now, "false", DATABASE,
                    Long.toString(c.position.sequence()), c.table.id().schema(), c.table.id().table(), txId,
                    Long.toString(c.position.scn()), Long.toString(commitScn));
            Object[] before = c.before == null ? null : lobsUnavailable(c.table, c.before, c.after);
            Object[] after = c.after == null ? null
                    : c.op == Operation.UPDATE ? lobsUnavailable(c.table, c.after, c.before) : c.after;
            events.add(new ChangeEvent(c.table.valueSchema(), c.op,
                    before == null ? null : c.table.view(before), after == null ? null : c.table.view(after),
                    source, now, new TransactionInfo(txId, order, tableOrder), c.table.key(c.key)));
        }
        pending.clear();
        txId = null;
        return events;
    }

    private Position nextPosition() {
        if (txId == null) {
            throw new IllegalStateException("no open transaction");
        }
        scn += 1 + random.nextInt(3);
        return new Position(scn, pending.size() + 1);
    }

    /**
     * An image with every LOB that the change left untouched replaced by Debezium's unavailable placeholder, as the
     * LogMiner connector writes it with {@code lob.enabled}: a LOB it did not see change is not re-read.
     */
    private static Object[] lobsUnavailable(SourceTable table, Object[] image, Object[] other) {
        Object[] copy = null;
        List<Column> columns = table.columns();
        for (int i = 0; i < columns.size() && i < image.length; i++) {
            if (columns.get(i).xml() && image[i] != null && !table.isDropped(columns.get(i).name())) {
                boolean unchanged = other == null || (i < other.length && image[i].equals(other[i]));
                if (unchanged) {
                    if (copy == null) {
                        copy = Arrays.copyOf(image, image.length);
                    }
                    copy[i] = Unavailable.VALUE;
                }
            }
        }
        return copy == null ? image : copy;
    }

    private static String hex(long value, int digits) {
        String h = Long.toHexString(value);
        return h.length() >= digits ? h : "0".repeat(digits - h.length()) + h;
    }

    public long scn() {
        return scn;
    }

    private record PendingChange(SourceTable table, Operation op, long key, Object[] before, Object[] after,
                                 Position position) {
    }
}
