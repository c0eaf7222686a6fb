package dev.cdc.ods;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.PostgresSettings;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The ODS connection pool (HikariCP) and its schema, brought up to date by the Flyway migrations in
 * {@code db/migration}. Credentials come from the configuration and never appear in a log line or message.
 */
public final class OdsDatabase implements AutoCloseable {

    private final HikariDataSource pool;

    private OdsDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    public static OdsDatabase connect(Configuration config, int maxConnections) {
        return connect(PostgresSettings.jdbcUrl(config), config.get(PostgresSettings.USER),
                config.get(PostgresSettings.PASSWORD), maxConnections);
    }

    public static OdsDatabase connect(String jdbcUrl, String user, String password, int maxConnections) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("cdc-ods");
        hc.setJdbcUrl(jdbcUrl);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(maxConnections);
        hc.setMinimumIdle(1);
        hc.setAutoCommit(false);
        // Fail fast on start-up and on a dead server: the writer's retry, not the pool, owns waiting.
        hc.setInitializationFailTimeout(-1);
        hc.setConnectionTimeout(5_000);
        hc.setValidationTimeout(2_000);
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        hc.addDataSourceProperty("ApplicationName", "cdc-ods");
        return new OdsDatabase(new HikariDataSource(hc));
    }

    /** Applies the pending migrations; safe to call from every process that starts (Flyway locks and skips). */
    public MigrateResult migrate() {
        return Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                .table("cdc_schema_history").load().migrate();
    }

    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
