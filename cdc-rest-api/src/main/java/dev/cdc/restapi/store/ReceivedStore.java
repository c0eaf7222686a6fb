package dev.cdc.restapi.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * What the API received, in SQLite at {@code <data-dir>/received.db} (WAL). Each write call is one transaction,
 * committed before it returns: a caller that answers 2xx only after it returns keeps the durability contract
 * (what was acknowledged survives a restart, kill -9 included).
 *
 * <p>Thread-safe. One connection writes and one reads, each behind its own lock: under WAL readers see the last
 * commit and never wait for a writer. Close it after the HTTP server has stopped.
 */
public final class ReceivedStore implements AutoCloseable {

    /** Version of the tables below, kept in SQLite's {@code user_version}. */
    static final int SCHEMA_VERSION = 1;

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS changes (
          seq        INTEGER PRIMARY KEY AUTOINCREMENT,
          id         TEXT NOT NULL UNIQUE,
          table_name TEXT NOT NULL,
          body       TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS changes_by_table ON changes (table_name, seq)",
        """
        CREATE TABLE IF NOT EXISTS enriched_orders (
          order_key TEXT PRIMARY KEY,
          id        TEXT NOT NULL,
          deleted   INTEGER NOT NULL,
          body      TEXT NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS alerts (
          seq  INTEGER PRIMARY KEY AUTOINCREMENT,
          id   TEXT NOT NULL UNIQUE,
          rule TEXT NOT NULL,
          body TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS alerts_by_rule ON alerts (rule, seq)",
    };

    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();

    private ReceivedStore(Path file, Connection writer, Connection reader) {
        this.file = file;
        this.writer = writer;
        this.reader = reader;
    }

    /** Opens (creating if needed) {@code received.db} under {@code dataDir}. */
    public static ReceivedStore open(Path dataDir, Durability durability) {
        Path file = dataDir.resolve("received.db").toAbsolutePath();
        Connection writer = null;
        try {
            Files.createDirectories(dataDir);
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(durability == Durability.FULL ? SQLiteConfig.SynchronousMode.FULL
                    : SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(10_000);
            String url = "jdbc:sqlite:" + file;
            writer = config.createConnection(url);
            migrate(file, writer);
            writer.setAutoCommit(false);
            Connection reader = config.createConnection(url);
            return new ReceivedStore(file, writer, reader);
        } catch (SQLException | IOException e) {
            closeQuietly(writer);
            throw StoreUnavailableException.opening(file, e);
        } catch (RuntimeException e) {
            closeQuietly(writer);
            throw e;
        }
    }

    private static void migrate(Path file, Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
                throw StoreUnavailableException.newerSchema(file, version, SCHEMA_VERSION);
            }
            for (String ddl : SCHEMA) {
                s.executeUpdate(ddl);
            }
            s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
        }
    }

    public Path file() {
        return file;
    }

    /** Stores the changes not yet held, by id, in one transaction; one outcome per record, in order. */
    public List<WriteOutcome> writeChanges(List<ChangeRecord> records) {
        return write("changes", records, """
                INSERT INTO changes (id, table_name, body) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING""", (ps, r) -> {
            ps.setString(1, r.id());
            ps.setString(2, r.table());
            ps.setString(3, r.json());
        });
    }

    /** Stores the alerts not yet held, by id, in one transaction; one outcome per record, in order. */
    public List<WriteOutcome> writeAlerts(List<AlertRecord> records) {
        return write("alerts", records, """
                INSERT INTO alerts (id, rule, body) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING""", (ps, r) -> {
            ps.setString(1, r.id());
            ps.setString(2, r.rule());
            ps.setString(3, r.json());
        });
    }

    /**
     * Each record replaces what its order holds, in arrival order, unless the order already holds that same id
     * (a replay: {@link WriteOutcome#DUPLICATE}, nothing changes). One transaction.
     */
    public List<WriteOutcome> writeEnrichedOrders(List<EnrichedOrderRecord> records) {
        // the WHERE of the upsert turns "same id already held" into zero rows changed
        return write("enriched orders", records, """
                INSERT INTO enriched_orders (order_key, id, deleted, body) VALUES (?, ?, ?, ?)
                ON CONFLICT (order_key) DO UPDATE SET id = excluded.id, deleted = excluded.deleted, body = excluded.body
                WHERE enriched_orders.id <> excluded.id""", (ps, r) -> {
            ps.setString(1, r.orderKey());
            ps.setString(2, r.id());
            ps.setInt(3, r.deleted() ? 1 : 0);
            ps.setString(4, r.json());
        });
    }

    /** Sets one record's parameters. */
    private interface Binder<R> {
        void bind(PreparedStatement ps, R record) throws SQLException;
    }

    /** Runs {@code sql} once per record in one transaction: a row written is stored, none a duplicate. */
    private <R> List<WriteOutcome> write(String kind, List<R> records, String sql, Binder<R> binder) {
        if (records.isEmpty()) {
            return List.of();
        }
        writeLock.lock();
        try (PreparedStatement ps = writer.prepareStatement(sql)) {
            List<WriteOutcome> outcomes = new ArrayList<>(records.size());
            for (R r : records) {
                binder.bind(ps, r);
                outcomes.add(ps.executeUpdate() == 1 ? WriteOutcome.STORED : WriteOutcome.DUPLICATE);
            }
            writer.commit();
            return outcomes;
        } catch (SQLException e) {
            rollback();
            throw StoreUnavailableException.writing(file, kind, records.size(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            // the connection is unusable; the failure being reported already says why
        }
    }

    /**
     * Changes in arrival order after {@code after} (null: from the start), optionally of one table.
     *
     * @throws InvalidCursorException if {@code after} is not a cursor this store gave
     */
    public Page changes(String after, int limit, String table) {
        return sequencePage("changes", "table_name", after, limit, table);
    }

    /** Alerts in arrival order after {@code after}, optionally of one rule; see {@link #changes}. */
    public Page alerts(String after, int limit, String rule) {
        return sequencePage("alerts", "rule", after, limit, rule);
    }

    private Page sequencePage(String table, String filterColumn, String after, int limit, String filter) {
        long from = sequenceCursor(after);
        String sql = "SELECT seq, body FROM " + table + " WHERE seq > ?"
                + (filter == null ? "" : " AND " + filterColumn + " = ?") + " ORDER BY seq LIMIT ?";
        CursorOf cursor = rs -> Long.toString(rs.getLong(1));
        return filter == null ? query(table, sql, limit, cursor, from) : query(table, sql, limit, cursor, from, filter);
    }

    private static long sequenceCursor(String after) {
        if (after == null || after.isEmpty()) {
            return 0;
        }
        try {
            long seq = Long.parseLong(after);
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidCursorException(after);
    }

    /** Enriched orders by order key after {@code after}; tombstones only when asked. */
    public Page enrichedOrders(String after, int limit, boolean includeDeleted) {
        String from = after == null ? "" : after;
        String sql = "SELECT order_key, body FROM enriched_orders WHERE order_key > ?"
                + (includeDeleted ? "" : " AND deleted = 0") + " ORDER BY order_key LIMIT ?";
        return query("enriched orders", sql, limit, rs -> rs.getString(1), from);
    }

    private interface CursorOf {
        String of(ResultSet rs) throws SQLException;
    }

    /** Binds {@code params} then the limit; reads one row more than asked, to know whether there is a next page. */
    private Page query(String what, String sql, int limit, CursorOf cursorOf, Object... params) {
        readLock.lock();
        try (PreparedStatement ps = reader.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.setInt(params.length + 1, limit + 1);
            List<String> items = new ArrayList<>(Math.min(limit, 1024));
            String last = null;
            boolean more = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (items.size() == limit) {
                        more = true;
                        break;
                    }
                    last = cursorOf.of(rs);
                    items.add(rs.getString(2));
                }
            }
            return new Page(items, more ? last : null);
        } catch (SQLException e) {
            throw StoreUnavailableException.reading(file, what, e);
        } finally {
            readLock.unlock();
        }
    }

    public Optional<String> change(String id) {
        return single("change " + id, "SELECT body FROM changes WHERE id = ?", id);
    }

    public Optional<String> alert(String id) {
        return single("alert " + id, "SELECT body FROM alerts WHERE id = ?", id);
    }

    /** The record an order holds; a tombstone only when asked. */
    public Optional<String> enrichedOrder(String orderKey, boolean includeDeleted) {
        return single("enriched order " + orderKey, "SELECT body FROM enriched_orders WHERE order_key = ?"
                + (includeDeleted ? "" : " AND deleted = 0"), orderKey);
    }

    private Optional<String> single(String what, String sql, String key) {
        readLock.lock();
        try (PreparedStatement ps = reader.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw StoreUnavailableException.reading(file, what, e);
        } finally {
            readLock.unlock();
        }
    }

    public long changeCount(String table) {
        return table == null ? count("SELECT count(*) FROM changes", null)
                : count("SELECT count(*) FROM changes WHERE table_name = ?", table);
    }

    public long alertCount(String rule) {
        return rule == null ? count("SELECT count(*) FROM alerts", null)
                : count("SELECT count(*) FROM alerts WHERE rule = ?", rule);
    }

    public long enrichedOrderCount(boolean includeDeleted) {
        return count("SELECT count(*) FROM enriched_orders" + (includeDeleted ? "" : " WHERE deleted = 0"), null);
    }

    public StoreCounts counts() {
        long live = enrichedOrderCount(false);
        return new StoreCounts(changeCount(null), live, enrichedOrderCount(true) - live, alertCount(null));
    }

    private long count(String sql, String filter) {
        readLock.lock();
        try (PreparedStatement ps = reader.prepareStatement(sql)) {
            if (filter != null) {
                ps.setString(1, filter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw StoreUnavailableException.reading(file, "a count", e);
        } finally {
            readLock.unlock();
        }
    }

    /** Whether the database answers a query; the reason when it does not. */
    public Optional<String> problem() {
        readLock.lock();
        try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
            rs.next();
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        } finally {
            readLock.unlock();
        }
    }

    /** Waits for a write in progress, then closes both connections. */
    @Override
    public void close() {
        writeLock.lock();
        readLock.lock();
        try {
            closeQuietly(reader);
            closeQuietly(writer);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            // closing: every commit already happened or was reported
        }
    }
}
