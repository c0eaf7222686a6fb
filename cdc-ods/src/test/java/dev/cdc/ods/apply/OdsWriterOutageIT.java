package dev.cdc.ods.apply;

import static dev.cdc.ods.apply.Changes.INT64;
import static dev.cdc.ods.apply.Changes.STRING;
import static dev.cdc.ods.apply.Changes.message;
import static dev.cdc.ods.apply.Changes.row;
import static dev.cdc.ods.apply.Changes.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that goes away is a transient fault: waited out for as long as it lasts (the batch call does not return,
 * so its caller acknowledges nothing), nothing half-written, no dead letters; a stop ends the wait at once.
 */
class OdsWriterOutageIT {

    private static final TableId CUSTOMERS = new TableId("SALES", "CUSTOMERS");

    @TempDir
    Path dir;

    private List<BrokerMessage> batch() {
        Map<String, ConnectSchema> fields = new LinkedHashMap<>();
        fields.put("CUSTOMER_ID", INT64);
        fields.put("NAME", STRING);
        ConnectSchema customer = schema(CUSTOMERS, fields);
        return List.of(
                message(CUSTOMERS, Operation.CREATE, customer, row("CUSTOMER_ID", 1L, "NAME", "Ann"), 100),
                message(CUSTOMERS, Operation.CREATE, customer, row("CUSTOMER_ID", 2L, "NAME", "Bo"), 101));
    }

    @Test
    void aBatchWaitsOutTheDatabaseHoweverLongItIsDownAndLandsOnceWithoutDeadLetters() throws Exception {
        int port = freePort();
        List<BrokerMessage> batch = batch();
        EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", port, dir.resolve("data"), dir.resolve("work"));
        pg.ensureDatabase("ods", "ods_user", "ods-pass");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (OdsDatabase db = OdsDatabase.connect(pg.jdbcUrl("ods"), "ods_user", "ods-pass", 2)) {
            db.migrate();
            OdsWriter writer = new OdsWriter(db.dataSource(), TestOds.options("outage"));
            writer.apply(1, batch.subList(0, 1));
            pg.close();

            Future<BatchResult> applying = caller.submit(() -> writer.apply(2, batch));
            // more tries than this writer's old budget (3): still waiting, not failed
            await().atMost(Duration.ofMinutes(2)).until(() -> writer.retry().retries() >= 5);
            assertThat(applying).isNotDone();
            assertThat(writer.retry().waiting()).isEqualTo(1);

            pg = EmbeddedPostgres.start("127.0.0.1", port, dir.resolve("data"), dir.resolve("work"));
            BatchResult landed = applying.get(2, TimeUnit.MINUTES);
            assertThat(landed.deadLetters()).isEmpty();
            assertThat(landed.written()).isEqualTo(1);
            assertThat(TestOds.query(db, "SELECT customer_id, name FROM cdc_customers ORDER BY 1"))
                    .containsExactly(row("customer_id", 1L, "name", "Ann"), row("customer_id", 2L, "name", "Bo"));
            assertThat(TestOds.query(db, "SELECT count(*) AS n FROM cdc_dlq")).containsExactly(row("n", 0L));
        } finally {
            caller.shutdownNow();
            pg.close();
        }
    }

    @Test
    void aStopEndsTheWaitWithoutWritingAnything() throws Exception {
        int port = freePort();
        EmbeddedPostgres pg = EmbeddedPostgres.start("127.0.0.1", port, dir.resolve("data"), dir.resolve("work"));
        pg.ensureDatabase("ods", "ods_user", "ods-pass");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (OdsDatabase db = OdsDatabase.connect(pg.jdbcUrl("ods"), "ods_user", "ods-pass", 2)) {
            db.migrate();
            OdsWriter writer = new OdsWriter(db.dataSource(), TestOds.options("outage"));
            pg.close();
            Future<BatchResult> applying = caller.submit(() -> writer.apply(1, batch()));
            await().atMost(Duration.ofMinutes(1)).until(() -> writer.retry().retries() >= 1);
            writer.stop();
            assertThatThrownBy(() -> applying.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(OdsUnavailableException.class)
                    .hasMessageContaining("stopped while applying 2 messages waited for the ODS");
        } finally {
            caller.shutdownNow();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
