package dev.cdc.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.metrics.PrometheusText;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database's figures from a real PostgreSQL server, parsed as Prometheus reads them; and a stopped one. */
class PostgresMetricsIT {

    private static final Path WORK_DIR = Path.of("target", "embedded-postgres-work").toAbsolutePath();
    private static final Map<String, String> DB = Map.of("database", "ods");

    @TempDir
    Path dataDir;

    @Test
    void aScrapeReadsTheDatabaseAndAStoppedServerIsDownNotAHang() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String password = "metrics-secret";
        EmbeddedPostgres postgres = EmbeddedPostgres.start("127.0.0.1", port, dataDir, WORK_DIR);
        try {
            postgres.ensureDatabase("ods", "cdc_app", password);
            PostgresMetrics metrics = new PostgresMetrics(postgres.jdbcUrl("ods"), "cdc_app", password);
            PrometheusText before = PrometheusText.parse(metrics.scrape());
            try (Connection idle = DriverManager.getConnection(postgres.jdbcUrl("ods"), "cdc_app", password);
                 Statement s = idle.createStatement()) {
                s.execute("CREATE TABLE filler AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
                String text = metrics.scrape();
                assertThat(text).doesNotContain(password);
                PrometheusText during = PrometheusText.parse(text);
                assertThat(during.value("cdc_postgres_up", DB)).contains(1.0);
                assertThat(during.value("cdc_postgres_database_bytes", DB).orElseThrow())
                        .as("the table's 4 MB on top").isGreaterThan(before.value("cdc_postgres_database_bytes", DB)
                                .orElseThrow() + 3_000_000);
                assertThat(during.value("cdc_postgres_connections", Map.of("database", "ods", "state", "idle")))
                        .as("this test's connection, idle between statements").hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1));
                assertThat(during.value("cdc_postgres_connections", Map.of("database", "ods", "state", "active")))
                        .as("the scrape's own").hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(1));
                assertThat(during.value("cdc_postgres_commits_total", DB).orElseThrow())
                        .isGreaterThan(before.value("cdc_postgres_commits_total", DB).orElseThrow());
                assertThat(during.type("cdc_postgres_commits_total")).isEqualTo("counter");
            }
        } finally {
            postgres.close();
        }
        PostgresMetrics afterStop = new PostgresMetrics("jdbc:postgresql://127.0.0.1:" + port + "/ods", "cdc_app", password);
        PrometheusText down = PrometheusText.parse(afterStop.scrape());
        assertThat(down.value("cdc_postgres_up", DB)).contains(0.0);
        assertThat(down.value("cdc_postgres_database_bytes", DB).orElseThrow()).isNaN();
    }
}
