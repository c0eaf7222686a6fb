package dev.cdc.ods.apply;

import static dev.cdc.ods.apply.Changes.INT64;
import static dev.cdc.ods.apply.Changes.STRING;
import static dev.cdc.ods.apply.Changes.message;
import static dev.cdc.ods.apply.Changes.row;
import static dev.cdc.ods.apply.Changes.schema;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.admission.TopicLayout;
import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.TestOds;
import dev.cdc.ods.schema.SqlIdentifier;
import dev.cdc.ods.schema.TableMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events the project's generator did not write, into real PostgreSQL: the Oracle connector's documented events
 * (the corpus in cdc-common's test resources, provenance in its README) with no {@code cdc_key}, a table of another
 * schema with a SALES table's name, truncates, schema-change events, tombstones.
 */
class ForeignEventsIT {

    private static final Path CORPUS = Path.of("..", "cdc-common", "src", "test", "resources", "debezium-corpus");
    private static final TableId DEBEZIUM_CUSTOMERS = new TableId("DEBEZIUM", "CUSTOMERS");
    private static final TableId SALES_CUSTOMERS = new TableId("SALES", "CUSTOMERS");
    private static final TableId TEST_TABLE = new TableId("DEBEZIUM", "TEST_TABLE");

    @TempDir
    static Path dir;
    static TestOds ods;
    OdsDatabase db;

    @BeforeAll
    static void start() throws Exception {
        ods = TestOds.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        ods.close();
    }

    @BeforeEach
    void freshOds() throws Exception {
        db = ods.freshDatabase();
    }

    private OdsWriter writer(Map<TableId, List<String>> keys) {
        return new OdsWriter(db.dataSource(), TestOds.options("foreign")
                .withAdmission(new AdmissionSettings(TopicLayout.defaults(), keys)));
    }

    private static BrokerMessage corpus(String file, String topic) throws IOException {
        return new BrokerMessage(topic, Map.of(), Files.readAllBytes(CORPUS.resolve(file)));
    }

    /** The value inside a key+value envelope with its documented key, as a bridge from Kafka would carry both. */
    private static BrokerMessage keyed(String file, String topic) throws IOException {
        String body = "{\"key\":" + Files.readString(CORPUS.resolve(file.replace(".json", ".key.json")))
                + ",\"value\":" + Files.readString(CORPUS.resolve(file)) + "}";
        return new BrokerMessage(topic, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    /** An int64 key column first (the test messages' key), then text columns, in this order. */
    private static Map<String, ConnectSchema> columns(String key, String... text) {
        Map<String, ConnectSchema> out = new LinkedHashMap<>();
        out.put(key, INT64);
        for (String column : text) {
            out.put(column, STRING);
        }
        return out;
    }

    private List<Map<String, Object>> q(String sql) throws Exception {
        return TestOds.query(db, sql);
    }

    @Test
    void theDocumentedEventsOfEveryConnectorVersionLandWithoutOurKeyProperty() throws Exception {
        OdsWriter writer = writer(Map.of());
        for (String version : List.of("1.x", "2.x", "3.x")) {
            BatchResult created = writer.apply(1, List.of(keyed(version + "/customers-create.json",
                    "cdc/oracle/DEBEZIUM/CUSTOMERS/insert")));
            assertThat(created.deadLetters()).as(version).isEmpty();
            assertThat(q("SELECT id, email, _deleted FROM cdc_debezium_customers")).as(version)
                    .containsExactly(row("id", 1004, "email", "annek@noanswer.org", "_deleted", false));

            // the key is known now: the table's primary key serves messages that carry none
            BatchResult rest = writer.apply(2, List.of(corpus(version + "/customers-update.json",
                    "cdc/oracle/DEBEZIUM/CUSTOMERS/update"), corpus(version + "/customers-tombstone.json",
                    "cdc/oracle/DEBEZIUM/CUSTOMERS/delete")));
            assertThat(rest.deadLetters()).as(version).isEmpty();
            assertThat(rest.skipped()).as(version + ": the tombstone").isEqualTo(1);
            assertThat(q("SELECT id, email, _op FROM cdc_debezium_customers")).as(version)
                    .containsExactly(row("id", 1004, "email", "anne@example.com", "_op", "u"));

            // the documented delete is an example of its own (its SCN may be older than the update's): alone
            db = ods.freshDatabase();
            writer = writer(Map.of());
            BatchResult deleted = writer.apply(3, List.of(keyed(version + "/customers-delete.json",
                    "cdc/oracle/DEBEZIUM/CUSTOMERS/delete")));
            assertThat(deleted.deadLetters()).as(version).isEmpty();
            assertThat(q("SELECT id, _deleted, _op FROM cdc_debezium_customers")).as(version)
                    .containsExactly(row("id", 1004, "_deleted", true, "_op", "d"));
            db = ods.freshDatabase();
            writer = writer(Map.of());
        }
        assertThat(q("SELECT count(*) AS n FROM cdc_customers")).containsExactly(row("n", 0L)); // SALES's, untouched
    }

    @Test
    void aTableOfAnotherSchemaWithASalesTablesNameLandsApart() throws Exception {
        OdsWriter writer = writer(Map.of(DEBEZIUM_CUSTOMERS, List.of("ID")));
        ConnectSchema sales = schema(SALES_CUSTOMERS, columns("CUSTOMER_ID", "NAME"));

        BatchResult result = writer.apply(1, List.of(
                message(SALES_CUSTOMERS, Operation.CREATE, sales, row("CUSTOMER_ID", 1004L, "NAME", "Sales Ann"), 100),
                corpus("2.x/customers-create-schemaless.json", "cdc/oracle/DEBEZIUM/CUSTOMERS/insert")));

        assertThat(result.deadLetters()).isEmpty();
        assertThat(q("SELECT customer_id, name FROM cdc_customers")).containsExactly(row("customer_id", 1004L, "name", "Sales Ann"));
        assertThat(q("SELECT id, first_name FROM cdc_debezium_customers")).containsExactly(row("id", 1004L, "first_name", "Anne"));
    }

    @Test
    void twoSourceTablesNamedIntoOneOdsTableAreRefusedNotMerged() throws Exception {
        ConnectSchema sales = schema(SALES_CUSTOMERS, columns("CUSTOMER_ID", "NAME"));
        writer(Map.of()).apply(1, List.of(
                message(SALES_CUSTOMERS, Operation.CREATE, sales, row("CUSTOMER_ID", 1L, "NAME", "Ann"), 100)));
        OdsWriter.Options clashing = new OdsWriter.Options("foreign",
                new TableMapping(Map.of(DEBEZIUM_CUSTOMERS, new SqlIdentifier("cdc_customers"))),
                TestOds.options("foreign").extractions(), null, true, TestOds.options("foreign").retry())
                .withAdmission(new AdmissionSettings(TopicLayout.defaults(), Map.of(DEBEZIUM_CUSTOMERS, List.of("ID"))));

        BatchResult result = new OdsWriter(db.dataSource(), clashing).apply(2, List.of(
                corpus("2.x/customers-create-schemaless.json", "cdc/oracle/DEBEZIUM/CUSTOMERS/insert")));

        assertThat(result.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.errorType()).isEqualTo(ErrorType.INVALID_IDENTIFIER);
            assertThat(d.errorMessage()).contains("DEBEZIUM.CUSTOMERS", "cdc_customers", "holds SALES.CUSTOMERS");
        });
        assertThat(q("SELECT customer_id, name FROM cdc_customers")).containsExactly(row("customer_id", 1L, "name", "Ann"));
    }

    @Test
    void aTruncateTombstonesEveryEarlierRowAndKeepsLaterOnesAndLateOlderChangesOut() throws Exception {
        OdsWriter writer = writer(Map.of(TEST_TABLE, List.of("ID")));
        ConnectSchema table = schema(TEST_TABLE, columns("ID", "V"));
        // the documented truncate is at SCN 13234397
        writer.apply(1, List.of(
                message(TEST_TABLE, Operation.CREATE, table, row("ID", 1L, "V", "before"), 13_234_000),
                message(TEST_TABLE, Operation.CREATE, table, row("ID", 2L, "V", "before"), 13_234_100)));

        BatchResult truncated = writer.apply(2, List.of(
                corpus("2.x/test_table-truncate.json", "cdc/oracle/DEBEZIUM/TEST_TABLE/truncate"),
                message(TEST_TABLE, Operation.CREATE, table, row("ID", 3L, "V", "after"), 13_234_500)));
        BatchResult late = writer.apply(3, List.of(
                message(TEST_TABLE, Operation.CREATE, table, row("ID", 4L, "V", "late, older"), 13_234_200)));

        assertThat(truncated.deadLetters()).isEmpty();
        assertThat(late.written()).isZero();
        assertThat(q("SELECT id, _deleted, _op, _source_scn FROM cdc_debezium_test_table ORDER BY id")).containsExactly(
                row("id", 1L, "_deleted", true, "_op", "t", "_source_scn", 13_234_397L),
                row("id", 2L, "_deleted", true, "_op", "t", "_source_scn", 13_234_397L),
                row("id", 3L, "_deleted", false, "_op", "c", "_source_scn", 13_234_500L));
    }

    @Test
    void aTruncateAppliedByAnotherWriterKeepsOlderChangesOutOfThisOne() throws Exception {
        // two slices of a batch on two executors: the second writer read the table's entry before the truncate
        OdsWriter truncating = writer(Map.of(TEST_TABLE, List.of("ID")));
        OdsWriter other = writer(Map.of(TEST_TABLE, List.of("ID")));
        ConnectSchema table = schema(TEST_TABLE, columns("ID", "V"));
        other.apply(1, List.of(message(TEST_TABLE, Operation.CREATE, table, row("ID", 1L, "V", "before"), 13_234_000)));

        truncating.applyChanges(List.of(corpus("2.x/test_table-truncate.json", "cdc/oracle/DEBEZIUM/TEST_TABLE/truncate")));
        AppliedChanges late = other.applyChanges(List.of(
                message(TEST_TABLE, Operation.UPDATE, table, row("ID", 1L, "V", "older than the truncate"), 13_234_300),
                message(TEST_TABLE, Operation.CREATE, table, row("ID", 2L, "V", "older than the truncate"), 13_234_301)));

        assertThat(late.written()).isZero();
        assertThat(q("SELECT id, _deleted, _op FROM cdc_debezium_test_table ORDER BY id"))
                .containsExactly(row("id", 1L, "_deleted", true, "_op", "t"));
    }

    @Test
    void schemaChangeEventsAreRecordedAndTransactionMarkersSkipped() throws Exception {
        BatchResult result = writer(Map.of()).apply(1, List.of(
                corpus("3.x/customers-schema-change.json", "server1"),
                corpus("3.x/tx-begin.json", "server1.transaction"),
                corpus("3.x/tx-end.json", "server1.transaction")));

        assertThat(result.deadLetters()).isEmpty();
        assertThat(result.skipped()).isEqualTo(3);
        assertThat(q("SELECT source_table, ddl LIKE 'CREATE TABLE%' AS create FROM cdc_source_ddl"))
                .containsExactly(row("source_table", "DEBEZIUM.CUSTOMERS", "create", true));
    }

    @Test
    void aMessageWithNoKeyAnywhereIsADeadLetterNamingTheSetting() throws Exception {
        BatchResult result = writer(Map.of()).apply(1, List.of(
                corpus("3.x/customers-create.json", "cdc/oracle/DEBEZIUM/CUSTOMERS/insert")));

        assertThat(result.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.errorType()).isEqualTo(ErrorType.MISSING_KEY);
            assertThat(d.errorMessage()).contains("tables.DEBEZIUM.CUSTOMERS.key");
            assertThat(d.original().topic()).isEqualTo("cdc/oracle/DEBEZIUM/CUSTOMERS/insert");
        });
    }
}
