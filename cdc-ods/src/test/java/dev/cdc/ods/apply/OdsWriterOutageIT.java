package dev.cdc.ods.apply;

import static dev.cdc.ods.apply.Changes.INT64;
import static dev.cdc.ods.apply.Changes.STRING;
import static dev.cdc.ods.apply.Changes.message;
import static dev.cdc.ods.apply.Changes.row;
import static dev.cdc.ods.apply.Changes.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.TestOds;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database that goes away is a transient fault: retried, reported, nothing half-written, no dead letters. */
class OdsWriterOutageIT {

    private static final TableId CUSTOMERS = new TableId("SALES", "CUSTOMERS");

    @TempDir
    Path dir;

    @Test
    void whileTheDatabaseIsDownTheBatchFailsWithoutDeadLettersAndLandsWhenItIsBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, ConnectSchema> fields = new LinkedHashMap<>();
        fields.put("CUSTOMER_ID", INT64);
        fields.put("NAME", STRING);
        ConnectSchema customer = schema(CUSTOMERS, fields);
        List<BrokerMessage> batch = List.of(
                message(CUSTOMERS, Operation.CREATE, customer, row("CUSTOMER_ID", 1L, "NAME", "Ann"), 100),
                message(CUSTOMERS, Operation.CREATE, customer, row("CUSTOMER_ID", 2L, "NAME", "Bo"), 101));

        EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", port, dir.resolve("data"), dir.resolve("work"));
        pg.ensureDatabase("ods", "ods_user", "ods-pass");
        try (OdsDatabase db = OdsDatabase.connect(pg.jdbcUrl("ods"), "ods_user", "ods-pass", 2)) {
            db.migrate();
            OdsWriter writer = new OdsWriter(db.dataSource(), TestOds.options("outage"));
            writer.apply(1, batch.subList(0, 1));
            pg.close();

            assertThatThrownBy(() -> writer.apply(2, batch)).isInstanceOf(OdsUnavailableException.class)
                    .hasMessageContaining("after 3 attempts");

            pg = EmbeddedPostgres.start("127.0.0.1", port, dir.resolve("data"), dir.resolve("work"));
            BatchResult retried = writer.apply(2, batch); // the caller retries the same, unacknowledged batch
            assertThat(retried.deadLetters()).isEmpty();
            assertThat(TestOds.query(db, "SELECT customer_id, name FROM cdc_customers ORDER BY 1"))
                    .containsExactly(row("customer_id", 1L, "name", "Ann"), row("customer_id", 2L, "name", "Bo"));
            assertThat(TestOds.query(db, "SELECT count(*) AS n FROM cdc_dlq")).containsExactly(row("n", 0L));
        } finally {
            pg.close();
        }
    }
}
