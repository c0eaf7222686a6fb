package dev.cdc.flink.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.admission.TopicLayout;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.Operation;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TransactionInfo;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import dev.cdc.flink.source.BrokerRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decode step in Flink's operator test harness, its input as two queue readers deliver it: a table's changes
 * out of their publish order, the watermark (of publish times) set by the test.
 */
class DecodeFunctionTest {

    private static final Configuration CONFIG = Configuration.load(Path.of("..", "configs", "cdc.yaml"), Map.of());
    private static final TopicLayout LAYOUT = AdmissionSettings.from(CONFIG).layout();

    private KeyedOneInputStreamOperatorTestHarness<String, BrokerRecord, ChangeRecord> harness;
    private long scn = 1_000;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, BrokerRecord, ChangeRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DecodeFunction(CONFIG.asMap(), "test")),
                record -> DecodeFunction.table(LAYOUT, record), Types.STRING);
    }

    @Test
    void aTypedRowPublishedBeforeATextFirstSightingGivesTheColumnItsTypeThoughItArrivesAfter() throws Exception {
        arrive(stock(1, "100"), 200); // the faster reader: S4's text, published at 200
        arrive(stock(2, 7L), 100); // the slower reader: the table's first typed row, published at 100
        assertThat(emitted()).as("the table is held until the watermark passes 200").isEmpty();

        harness.processWatermark(150);
        assertThat(emitted()).as("not yet: something published before 200 may still come").isEmpty();

        harness.processWatermark(250);
        List<ChangeRecord> out = emitted();
        assertThat(out).extracting(c -> after(c).path("PRODUCT_ID").asLong()).containsExactly(2L, 1L);
        assertThat(after(out.get(1)).path("STOCK_QTY").isNumber()).as("coerced to the type it first had").isTrue();
        assertThat(after(out.get(1)).path("STOCK_QTY").asLong()).isEqualTo(100);

        harness.getOutput().clear();
        arrive(stock(3, "5"), 300);
        assertThat(emitted()).as("STOCK_QTY is kept: text of it now flows at once").hasSize(1);
        assertThat(after(emitted().get(0)).path("STOCK_QTY").isNumber()).isTrue();
    }

    @Test
    void aRowsSecondChangeWaitsBehindItsHeldFirstChange() throws Exception {
        arrive(stock(1, "100"), 200);
        arrive(stock(1, "90"), 150); // the same row again: another publisher's clock, behind
        arrive(stock(2, 7L), 100);
        assertThat(emitted()).isEmpty();

        harness.processWatermark(250);

        assertThat(emitted()).extracting(c -> after(c).path("STOCK_QTY").asLong()).containsExactly(7L, 100L, 90L);
    }

    @Test
    void heldMessagesSurviveASnapshotAndAreDecodedAfterTheRestoreOnce() throws Exception {
        arrive(stock(1, "100"), 200);
        arrive(stock(2, 7L), 100);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        assertThat(emitted()).isEmpty();
        harness.processWatermark(250);

        List<ChangeRecord> out = emitted();
        assertThat(out).extracting(c -> after(c).path("PRODUCT_ID").asLong()).containsExactly(2L, 1L);
        assertThat(after(out.get(1)).path("STOCK_QTY").isNumber()).isTrue();
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(emitted()).as("nothing twice").hasSize(2);
    }

    @Test
    void aTextFirstSightingBehindTheWatermarkIsNotHeld() throws Exception {
        harness.processWatermark(500);
        arrive(stock(1, "100"), 400); // everything published before it has arrived already

        assertThat(emitted()).hasSize(1);
    }

    @Test
    void theEndOfTheInputReleasesWhatIsHeld() throws Exception {
        arrive(stock(1, "100"), 200);

        harness.processWatermark(Long.MAX_VALUE); // what a bounded input ends with

        assertThat(emitted()).hasSize(1);
    }

    private void arrive(BrokerMessage message, long publishedAt) throws Exception {
        harness.processElement(new StreamRecord<>(BrokerRecord.of(message, publishedAt, 0), publishedAt));
    }

    private List<ChangeRecord> emitted() {
        return harness.extractOutputValues();
    }

    private static JsonNode after(ChangeRecord change) {
        try {
            return DebeziumJsonCodec.mapper().readTree(change.apiJson).path("after");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An update of a PRODUCTS row whose STOCK_QTY is sent as a number (Long) or, as S4 does, as text. */
    private BrokerMessage stock(long productId, Object stockQty) {
        ConnectSchema value = ConnectSchema.builder(SchemaType.STRUCT).name("server1.SALES.PRODUCTS.Value")
                .field("PRODUCT_ID", ConnectSchema.of(SchemaType.INT64, false))
                .field("STOCK_QTY", ConnectSchema.of(stockQty instanceof String ? SchemaType.STRING : SchemaType.INT64,
                        true)).build();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("PRODUCT_ID", productId);
        row.put("STOCK_QTY", stockQty);
        long at = ++scn;
        SourceInfo source = new SourceInfo("2.7.3.Final", "oracle", "server1", 1_700_000_000_000L + at, "false",
                "ORCLPDB1", "1", "SALES", "PRODUCTS", "0a001b00c3040000", Long.toString(at), Long.toString(at + 1));
        ChangeEvent event = new ChangeEvent(value, Operation.UPDATE, row, row, source, 1_700_000_000_000L + at,
                new TransactionInfo("0a001b00c3040000", 1, 1), Map.of("PRODUCT_ID", productId));
        return new BrokerMessage("cdc/oracle/SALES/PRODUCTS/update", Map.of(
                MessageProperties.KEY, DebeziumJsonCodec.keyJson(event.key()), MessageProperties.SCN, Long.toString(at)),
                new DebeziumJsonCodec().encode(event));
    }
}
