package dev.cdc.e2e.pipeline;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.PostgresSettings;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.infra.InfraSettings;
import dev.cdc.infra.PostgresMetrics;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.OdsSettings;
import dev.cdc.ods.verify.OdsVerifier;
import dev.cdc.ods.verify.TableResult;
import dev.cdc.ods.verify.VerificationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Map;

/**
 * Architecture A's target: the ODS in an embedded PostgreSQL on the configured port, its data under the run's
 * directory. It can be stopped and started again on its data (scenario F4). The consumer reaches it through the
 * configuration it is given; the dead letters it checks are the ODS's own ({@code cdc_dlq}).
 */
public final class OdsTarget implements Target {

    private final Configuration config;
    private final Path home;
    private final Path dir;
    private volatile EmbeddedPostgres postgres; // null while stopped
    private final PostgresMetrics metrics;

    private OdsTarget(Configuration config, Path home, Path dir, EmbeddedPostgres postgres) {
        this.config = config;
        this.home = home;
        this.dir = dir;
        this.postgres = postgres;
        this.metrics = new PostgresMetrics(PostgresSettings.jdbcUrl(config), config.get(PostgresSettings.USER),
                config.get(PostgresSettings.PASSWORD));
    }

    static OdsTarget start(Configuration c, Path home, Path dir) throws Exception {
        OdsTarget target = new OdsTarget(c, home, dir, null);
        target.startPostgres();
        target.postgres.ensureDatabase(c.get(PostgresSettings.DB), c.get(PostgresSettings.USER),
                c.get(PostgresSettings.PASSWORD));
        return target;
    }

    @Override
    public Map<String, String> consumerSettings() {
        return Map.of(); // PostgreSQL's address and credentials are the configuration's
    }

    @Override
    public Map<String, String> consumerEnvironment() {
        return Map.of();
    }

    @Override
    public String describe() {
        EmbeddedPostgres p = postgres;
        return "PostgreSQL " + (p == null ? "(stopped)" : p.jdbcUrl(config.get(PostgresSettings.DB)));
    }

    /** The database's figures, as ./cdc infra serves them (up 0 while it is stopped). */
    @Override
    public String scrape() {
        return metrics.scrape();
    }

    /** Stops PostgreSQL (fast shutdown) as an outage would; {@link #startPostgres()} brings it back on its data. */
    public void stopPostgres() throws IOException {
        EmbeddedPostgres p = running();
        postgres = null;
        p.close();
    }

    /** Starts PostgreSQL (again) on the configured port and the run's data directory. */
    public void startPostgres() throws IOException {
        if (postgres != null) {
            throw new IllegalStateException("PostgreSQL is not stopped");
        }
        postgres = EmbeddedPostgres.start(config.get(PostgresSettings.HOST), config.get(PostgresSettings.PORT),
                dir.resolve("postgres"), InfraSettings.dataDir(config, home).resolve("postgres-work"));
    }

    /** A connection pool of one on the ODS; the caller closes it. */
    public OdsDatabase ods() {
        return OdsDatabase.connect(running().jdbcUrl(config.get(PostgresSettings.DB)), config.get(PostgresSettings.USER),
                config.get(PostgresSettings.PASSWORD), 1);
    }

    /** Dead letters the consumer recorded in the ODS. */
    public long deadLetters() throws Exception {
        try (OdsDatabase ods = ods(); Connection conn = ods.dataSource().getConnection();
             ResultSet rs = conn.createStatement().executeQuery("SELECT count(*) FROM cdc_dlq")) {
            rs.next();
            long n = rs.getLong(1);
            conn.commit();
            return n;
        }
    }

    @Override
    public TruthVerdict verify(PipelineRun run, SourceTruth truth, long foreignDeadLetters, long moreDeadLetters)
            throws Exception {
        VerificationReport report;
        try (OdsDatabase ods = ods()) {
            report = new OdsVerifier(ods.dataSource(), OdsSettings.tableMapping(config)).verify(truth);
        }
        long deadLetters = deadLetters(); // cdc_dlq holds this run's only: a prefill of the topics never lands here
        long expected = truth.deadLetters().size() + moreDeadLetters;
        String summary = String.format(Locale.ROOT, "%d missing, %d extra, %d different; DLQ %d of %d",
                report.tables().stream().mapToLong(TableResult::missing).sum(),
                report.tables().stream().mapToLong(TableResult::extra).sum(),
                report.tables().stream().mapToLong(TableResult::different).sum(), deadLetters, expected);
        return new TruthVerdict(report.matches(), deadLetters, expected, summary, report.render());
    }

    private EmbeddedPostgres running() {
        EmbeddedPostgres p = postgres;
        if (p == null) {
            throw new IllegalStateException("PostgreSQL is stopped");
        }
        return p;
    }

    @Override
    public void close() throws IOException {
        EmbeddedPostgres p = postgres;
        postgres = null;
        if (p != null) {
            p.close();
        }
    }
}
