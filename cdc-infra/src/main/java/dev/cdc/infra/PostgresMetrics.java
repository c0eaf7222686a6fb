package dev.cdc.infra;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The ODS's PostgreSQL database in Prometheus' text format, read at each scrape over one short connection (connect
 * and socket time-outs of a few seconds, so a scrape never hangs on a server that is down): whether it answered
 * ({@code cdc_postgres_up}), the database's size, its connections by state, and the counts since the server's
 * statistics were reset of commits, rollbacks and deadlocks. A server that does not answer gives up 0 and NaN for the
 * rest. The password comes from the configuration or the environment and is never part of a figure or message.
 */
public final class PostgresMetrics {

    /** The states counted; any other (or one this user may not see) is {@code other}. */
    private static final List<String> STATES = List.of("active", "idle", "idle in transaction", "other");

    private record Figures(long bytes, long commits, long rollbacks, long deadlocks, Map<String, Long> connections) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Figures> last = new AtomicReference<>();
    private final String jdbcUrl;
    private final Properties login = new Properties();

    public PostgresMetrics(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        login.setProperty("user", user);
        if (password != null) {
            login.setProperty("password", password);
        }
        login.setProperty("connectTimeout", "3");
        login.setProperty("socketTimeout", "5");
        login.setProperty("ApplicationName", "cdc-metrics");
        Tags db = Tags.of("database", database(jdbcUrl));
        Gauge.builder("cdc_postgres_up", last, l -> l.get() == null ? 0 : 1)
                .description("1 when the database answered the last scrape").tags(db).register(registry);
        gauge("cdc_postgres_database_bytes", "the database's size on disk", db, Figures::bytes);
        for (String state : STATES) {
            gauge("cdc_postgres_connections", "connections to the database by state", db.and("state", state),
                    f -> f.connections().getOrDefault(state, 0L));
        }
        counter("cdc_postgres_commits", "transactions committed since the statistics were reset", db, Figures::commits);
        counter("cdc_postgres_rollbacks", "transactions rolled back since the statistics were reset", db,
                Figures::rollbacks);
        counter("cdc_postgres_deadlocks", "deadlocks detected since the statistics were reset", db, Figures::deadlocks);
    }

    /** Reads the database now, then everything in Prometheus' text exposition format. */
    public String scrape() {
        last.set(read());
        return registry.scrape();
    }

    private Figures read() {
        try (Connection c = DriverManager.getConnection(jdbcUrl, login); Statement s = c.createStatement()) {
            long bytes;
            long commits;
            long rollbacks;
            long deadlocks;
            try (ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database()), xact_commit,"
                    + " xact_rollback, deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                bytes = rs.getLong(1);
                commits = rs.getLong(2);
                rollbacks = rs.getLong(3);
                deadlocks = rs.getLong(4);
            }
            Map<String, Long> connections = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT state, count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() GROUP BY state")) {
                while (rs.next()) {
                    String state = rs.getString(1);
                    connections.merge(STATES.contains(state) ? state : "other", rs.getLong(2), Long::sum);
                }
            }
            return new Figures(bytes, commits, rollbacks, deadlocks, connections);
        } catch (SQLException e) {
            return null; // down or refusing: up 0, the rest NaN; the consumers' own logs say why
        }
    }

    private void gauge(String name, String help, Tags tags, ToDoubleFunction<Figures> value) {
        Gauge.builder(name, last, l -> l.get() == null ? Double.NaN : value.applyAsDouble(l.get()))
                .description(help).tags(tags).register(registry);
    }

    private void counter(String name, String help, Tags tags, ToDoubleFunction<Figures> value) {
        // Micrometer adds "_total" to a counter's name in the Prometheus format
        FunctionCounter.builder(name, last, l -> l.get() == null ? Double.NaN : value.applyAsDouble(l.get()))
                .description(help).tags(tags).register(registry);
    }

    /** The database a JDBC URL names: its path, without parameters. */
    private static String database(String jdbcUrl) {
        String path = jdbcUrl.replaceFirst("^jdbc:postgresql://[^/]*/?", "");
        int parameters = path.indexOf('?');
        return parameters < 0 ? path : path.substring(0, parameters);
    }
}
