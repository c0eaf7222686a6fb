package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.truth.TruthRow;
import dev.cdc.common.truth.TruthWriter;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.ods.OdsDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./cdc verify} against a real, migrated and empty ODS: exit codes, the printed report, the configuration. */
class VerifyCommandIT {

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static EmbeddedPostgres postgres;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startOds() throws Exception {
        postgres = EmbeddedPostgres.start("127.0.0.1", freePort(), shared.resolve("data"), shared.resolve("work"));
        postgres.ensureDatabase("ods", "ods_user", "ods-pass");
        try (OdsDatabase ods = OdsDatabase.connect(postgres.jdbcUrl("ods"), "ods_user", "ods-pass", 2)) {
            ods.migrate();
        }
    }

    @AfterAll
    static void stopOds() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void anEmptyOdsMatchesAnEmptyTruthWithExitZero() throws IOException {
        Path truth = truth(List.of());
        assertThat(run("verify", "--truth", truth.toString(), "--config", config("", postgres.port()).toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("cdc_orders_enriched").contains("MATCH: the ODS holds exactly the truth");
    }

    @Test
    void aMismatchPrintsTheReportWithExitOne() throws IOException {
        Path truth = truth(List.of(new TruthRow(Map.of("ORDER_ID", 1001L), false, new Position(1, 1),
                Map.of("ORDER_ID", 1001L, "STATUS", "NEW"))));
        assertThat(run("verify", "--truth", truth.toString(), "--config", config("", postgres.port()).toString()))
                .isEqualTo(1);
        assertThat(out.toString()).contains("MISMATCH: 1 of 2 tables differ")
                .containsPattern("cdc_orders +SALES.ORDERS +1 +0 +1 +0 +0 +MISMATCH")
                .contains("  missing    order_id=1001");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aGeneratorTruthIsReadAndEveryTableOfItReported() throws IOException {
        Path truth = dir.resolve("generated");
        assertThat(run("generate", "--events", "600", "--rate", "max", "--out", dir.resolve("e.jsonl").toString(),
                "--truth", truth.toString(), "--quiet")).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("verify", "--truth", truth.toString(), "--config", config("", postgres.port()).toString()))
                .as(err.toString()).isEqualTo(1);
        for (String table : List.of("cdc_orders", "cdc_order_items", "cdc_customers", "cdc_products", "cdc_audit_log",
                "cdc_order_items_extracted", "cdc_customer_addresses_extracted", "cdc_orders_enriched")) {
            assertThat(out.toString()).containsPattern("(?m)^" + table + " .* MISMATCH$");
        }
    }

    @Test
    void theConfiguredTableNameIsTheOneVerified() throws IOException {
        Path truth = truth(List.of(new TruthRow(Map.of("ORDER_ID", 1001L), true, new Position(1, 1), null)));
        Path config = config("ods:\n  tables:\n    SALES.ORDERS:\n      name: my_orders\n", postgres.port());
        assertThat(run("verify", "--truth", truth.toString(), "--config", config.toString(), "--examples", "0"))
                .isEqualTo(1);
        assertThat(out.toString()).contains("note: table my_orders does not exist").doesNotContain("order_id=1001");
    }

    @Test
    void anUnreachableOdsIsOneLineWithExitOne() throws IOException {
        int closed = freePort();
        assertThat(run("verify", "--truth", truth(List.of()).toString(), "--config", config("", closed).toString()))
                .isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("cdc verify: cannot read the ODS at jdbc:postgresql://127.0.0.1:" + closed + "/ods")
                .doesNotContain("ods-pass");
        assertThat(out.toString()).isEmpty();
    }

    private int run(String... args) {
        CommandLine cli = Cdc.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path truth(List<TruthRow> orders) throws IOException {
        Path truth = dir.resolve("truth");
        TruthWriter w = new TruthWriter(truth);
        if (!orders.isEmpty()) {
            w.table(new TableId("SALES", "ORDERS"), List.of("ORDER_ID"), orders);
        }
        w.enriched(List.of());
        w.deadLetters(List.of());
        w.manifest(Map.of("seed", 1));
        return truth;
    }

    private Path config(String more, int port) throws IOException {
        return Files.writeString(dir.resolve("cdc.yaml"), "postgres:\n  host: 127.0.0.1\n  port: " + port
                + "\n  db: ods\n  user: ods_user\n  password: ods-pass\n" + more);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
