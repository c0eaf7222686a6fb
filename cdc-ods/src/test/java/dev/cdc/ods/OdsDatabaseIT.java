package dev.cdc.ods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.infra.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OdsDatabaseIT {

    @TempDir
    Path dir;

    @Test
    void migrationsCreateTheOdsAndRunTwiceWithoutChange() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", port, dir.resolve("data"), dir.resolve("work"))) {
            pg.ensureDatabase("ods", "ods_user", "ods-pass");
            try (OdsDatabase ods = OdsDatabase.connect(pg.jdbcUrl("ods"), "ods_user", "ods-pass", 2)) {
                assertThat(ods.migrate().migrationsExecuted).isEqualTo(6);
                assertThat(ods.migrate().migrationsExecuted).isZero();
                List<String> tables = new ArrayList<>();
                try (Connection c = ods.dataSource().getConnection();
                     ResultSet rs = c.createStatement().executeQuery(
                             "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                assertThat(tables).contains("cdc_orders", "cdc_order_items", "cdc_customers", "cdc_products",
                        "cdc_audit_log", "cdc_order_items_extracted", "cdc_customer_addresses_extracted",
                        "cdc_orders_enriched", "cdc_order_revenue_5m", "cdc_dlq", "cdc_schema_changes",
                        "cdc_applied_batches", "cdc_extraction_positions", "cdc_watermarks", "cdc_source_tables", "cdc_source_ddl",
                        "cdc_pending_orders");
            }
        }
    }
}
