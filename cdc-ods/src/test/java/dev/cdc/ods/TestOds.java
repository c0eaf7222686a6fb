package dev.cdc.ods;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.fault.RetrySettings;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.ods.apply.OdsWriter;
import dev.cdc.ods.schema.TableMapping;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test support: one real embedded PostgreSQL per test class, a fresh migrated ODS database per test. The SALES
 * XML rules come from the shipped configuration, so the tests exercise what users run.
 */
public final class TestOds implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres postgres;
    private final List<OdsDatabase> open = new ArrayList<>();

    private TestOds(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static TestOds start(Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new TestOds(EmbeddedPostgres.start("127.0.0.1", port, dir.resolve("data"), dir.resolve("work")));
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    /** A new, migrated ODS database. */
    public OdsDatabase freshDatabase() throws SQLException {
        String name = "ods" + DATABASES.incrementAndGet();
        postgres.ensureDatabase(name, "ods_user", "ods-pass");
        OdsDatabase db = OdsDatabase.connect(postgres.jdbcUrl(name), "ods_user", "ods-pass", 4);
        db.migrate();
        open.add(db);
        return db;
    }

    /** The SALES XML rules of configs/cdc.yaml. */
    public static List<XmlExtraction> salesXmlRules() {
        return XmlExtractions.load(Configuration.load(Path.of("..", "configs", "cdc.yaml"), Map.of()));
    }

    public static OdsWriter.Options options(String consumer) {
        return new OdsWriter.Options(consumer, TableMapping.defaults(), salesXmlRules(), EnrichedOrderDefinition.SALES,
                true, new RetrySettings(Duration.ofMillis(50), Duration.ofMillis(200), 2.0, 50, Duration.ofMillis(500)))
                // runs here replay hours of source time in any order: no window closes unless a test says so
                .withWindowLateness(Duration.ofDays(3650));
    }

    /** Rows of a query as maps, for assertions. */
    public static List<Map<String, Object>> query(OdsDatabase db, String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                rows.add(row);
            }
            c.commit();
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        open.forEach(OdsDatabase::close);
        postgres.close();
    }
}
