package dev.cdc.ods.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ODS tables as they are, and the runtime DDL that makes them hold what the events carry: a table created from
 * the Debezium schema of its first event, a new source column added as a real column. Every DDL runs in its own
 * short transaction under an advisory lock on the table, so writers adding the same column at once don't fail,
 * and is recorded in {@code cdc_schema_changes}.
 */
public final class OdsCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(OdsCatalog.class);

    /** Metadata columns of every state table; their names start with '_' so no source column can clash. */
    public static final String METADATA_DDL = """
            "_source_scn" bigint NOT NULL, "_source_seq" bigint NOT NULL, "_source_ts" timestamptz, \
            "_op" char(1) NOT NULL, "_deleted" boolean NOT NULL DEFAULT false, \
            "_processed_at" timestamptz NOT NULL DEFAULT now(), "_extra" jsonb""";

    private final DataSource dataSource;
    private final Map<SqlIdentifier, OdsTable> tables = new ConcurrentHashMap<>();
    private final Map<String, Boolean> recorded = new ConcurrentHashMap<>();

    public OdsCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The table as the database holds it now, if it exists. */
    public Optional<OdsTable> table(SqlIdentifier name) throws SQLException {
        OdsTable known = tables.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<OdsTable> read = read(c, name);
            c.commit();
            read.ifPresent(t -> tables.put(name, t));
            return read;
        }
    }

    /**
     * Makes the table exist with at least these key and data columns; returns it as it then is. Existing columns
     * keep their type (values are coerced to it).
     */
    public OdsTable ensure(SqlIdentifier name, List<OdsColumn> key, List<OdsColumn> columns, long sourceScn)
            throws SQLException {
        Optional<OdsTable> existing = table(name);
        if (existing.isPresent() && columns.stream().allMatch(col -> existing.get().columns().containsKey(col.name()))) {
            return existing.get();
        }
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, "cdc_ddl:" + name);
                lock.execute();
            }
            Optional<OdsTable> now = read(c, name); // another writer may have done it while we waited
            if (now.isEmpty()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(name.quoted()).append(" (");
                List<OdsColumn> all = new ArrayList<>(key);
                columns.stream().filter(col -> !key.contains(col)).forEach(all::add);
                for (OdsColumn col : all) {
                    ddl.append(col.name().quoted()).append(' ').append(col.sqlType()).append(", ");
                }
                ddl.append(METADATA_DDL).append(", PRIMARY KEY (")
                        .append(String.join(", ", key.stream().map(k -> k.name().quoted()).toList())).append("))");
                execute(c, ddl.toString());
                record(c, name, null, "CREATE_TABLE", null, null, ddl.toString(), sourceScn);
                LOG.info("created ODS table {} from its Debezium schema", name);
            } else {
                for (OdsColumn col : columns) {
                    if (!now.get().columns().containsKey(col.name()) && !now.get().key().contains(col.name())) {
                        String ddl = "ALTER TABLE " + name.quoted() + " ADD COLUMN IF NOT EXISTS " + col.name().quoted()
                                + " " + col.sqlType();
                        execute(c, ddl);
                        record(c, name, col.name(), "ADD_COLUMN", null, col.sqlType(), ddl, sourceScn);
                        LOG.info("schema change: {}.{} added as {}", name, col.name(), col.sqlType());
                    }
                }
            }
            OdsTable result = read(c, name).orElseThrow();
            c.commit();
            tables.put(name, result);
            return result;
        }
    }

    /** Records a type change met in the payloads, once per table, column, types and outcome. */
    public void recordTypeChange(SqlIdentifier table, SqlIdentifier column, String oldType, String newType,
                                 boolean coerced, long sourceScn) throws SQLException {
        String change = coerced ? "TYPE_COERCED" : "TYPE_REJECTED";
        if (recorded.putIfAbsent(table + "." + column + ":" + change + ":" + oldType + ">" + newType, true) != null) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            record(c, table, column, change, oldType, newType, null, sourceScn);
            c.commit();
        }
        LOG.info("schema change: {}.{} arrives as {} and is held as {} ({})", table, column, newType, oldType,
                coerced ? "values coerced" : "values that don't fit go to the DLQ");
    }

    /** Forgets what it knows (after a connection loss, or tables altered by hand). */
    public void invalidate() {
        tables.clear();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void record(Connection c, SqlIdentifier table, SqlIdentifier column, String change, String oldType,
                               String newType, String ddl, long sourceScn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cdc_schema_changes (table_name, column_name, change, old_type, new_type, ddl, source_scn)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            ps.setString(1, table.name());
            ps.setString(2, column == null ? null : column.name());
            ps.setString(3, change);
            ps.setString(4, oldType);
            ps.setString(5, newType);
            ps.setString(6, ddl);
            ps.setLong(7, sourceScn);
            ps.executeUpdate();
        }
    }

    private static Optional<OdsTable> read(Connection c, SqlIdentifier name) throws SQLException {
        Map<SqlIdentifier, OdsColumn> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position""")) {
            ps.setString(1, name.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String column = rs.getString(1);
                    if (column.startsWith("_")) {
                        continue;
                    }
                    SqlIdentifier id = new SqlIdentifier(column);
                    String dataType = rs.getString(2);
                    columns.put(id, new OdsColumn(id, PostgresTypes.valueType(dataType), PostgresTypes.castType(dataType)));
                }
            }
        }
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<SqlIdentifier> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                WHERE i.indrelid = to_regclass(quote_ident(?)) AND i.indisprimary
                ORDER BY array_position(i.indkey, a.attnum)""")) {
            ps.setString(1, name.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(new SqlIdentifier(rs.getString(1)));
                }
            }
        }
        return Optional.of(new OdsTable(name, key, columns));
    }
}
