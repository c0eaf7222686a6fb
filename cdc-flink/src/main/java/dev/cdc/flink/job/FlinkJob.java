package dev.cdc.flink.job;

import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.admission.TopicLayout;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.join.EnrichedOrderDefinition;
import dev.cdc.flink.sink.DeadLetterSink;
import dev.cdc.flink.sink.RestSink;
import dev.cdc.flink.sink.RestSinkSettings;
import dev.cdc.flink.source.BrokerRecord;
import dev.cdc.flink.source.BrokerSource;
import dev.cdc.flink.source.BrokerSourceConfig;
import dev.cdc.flink.source.PublishTimeWatermarks;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Architecture B's dataflow, from configuration:
 * <pre>
 * broker queue -> by table: decode -+-> change records --------------------------------------------+-> REST API
 *                                   +-> orders + customers -> by customer -+                        |
 *                                   +-> items + products   -> by product  -+-> by order -> enriched +
 *                                   +-> alerts -------------------------------------------------------+
 *                                   +-> dead letters -> DLQ topics
 * </pre>
 * The join is keyed state (not Flink SQL's changelog join): each row is kept only if its source position is newer
 * than what the state holds, which makes the result independent of arrival order and makes redelivered messages
 * harmless; SQL joins apply changes in arrival order. Decoding is keyed by table so one task keeps each table's
 * column types (schema changes are coerced alike on every run). Up to decoding, timestamps and watermarks are the
 * messages' publish times, so that with several queue readers decoding can wait for earlier typed rows before a
 * table keeps a column's type from text ({@link DecodeFunction}); after it, event time is the source commit time
 * (the revenue windows', the alerts'). Every operator has a fixed uid, so a restart restores its state.
 */
public final class FlinkJob {

    private FlinkJob() {
    }

    public static void define(StreamExecutionEnvironment env, Configuration config) {
        Map<String, String> shipped = config.asMap();
        String consumerId = config.get(FlinkSettings.CONSUMER_ID);
        Duration retention = config.get(FlinkSettings.TOMBSTONE_RETENTION);
        String queue = config.get(FlinkSettings.QUEUE);
        BrokerSource source = new BrokerSource(BrokerSourceConfig.from(config, queue)
                .withPrefetch(FlinkSettings.prefetch(config, Runtime.getRuntime().maxMemory())));

        // publish-time watermarks: decoding holds a table's text first sighting until earlier typed rows arrived
        DataStream<BrokerRecord> messages = env.fromSource(source, PublishTimeWatermarks.strategy(
                                config.get(FlinkSettings.PUBLISH_SKEW), config.get(FlinkSettings.IDLE_AFTER)),
                        "broker " + queue)
                .setParallelism(config.get(FlinkSettings.SOURCE_PARALLELISM)).uid("broker-source");
        TopicLayout layout = AdmissionSettings.from(config).layout();
        SingleOutputStreamOperator<ChangeRecord> decoded = messages
                .keyBy(record -> DecodeFunction.table(layout, record), Types.STRING)
                .process(new DecodeFunction(shipped, consumerId)).uid("decode").name("decode");
        // event time from here on is the source commit time: this operator drops the publish-time watermarks
        DataStream<ChangeRecord> changes = decoded.assignTimestampsAndWatermarks(
                        WatermarkStrategy.<ChangeRecord>forBoundedOutOfOrderness(config.get(FlinkSettings.OUT_OF_ORDERNESS))
                                .withTimestampAssigner((change, previous) -> change.sourceTsMs)
                                .withIdleness(Duration.ofSeconds(30)))
                .uid("event-time").name("event time");

        EnrichedOrderDefinition join = EnrichedOrderDefinition.SALES;
        String orders = join.orders().toString();
        String customers = join.customers().toString();
        String items = join.items().toString();
        String products = join.products().toString();
        DataStream<JoinPart> orderParts = changes
                .filter(c -> !c.truncate && (c.table.equals(orders) || c.table.equals(customers))).name("orders, customers")
                .map(ChangeRecord::forJoin).name("for the join")
                .keyBy(c -> c.customerKey == null ? "" : c.customerKey, Types.STRING)
                .process(new LookupJoin(orders, customers, JoinPart.ORDER, retention)).uid("join-order-customer")
                .name("order with customer");
        DataStream<JoinPart> itemParts = changes
                .filter(c -> !c.truncate && (c.table.equals(items) || c.table.equals(products))).name("items, products")
                .map(ChangeRecord::forJoin).name("for the join")
                .keyBy(c -> c.productKey == null ? "" : c.productKey, Types.STRING)
                .process(new LookupJoin(items, products, JoinPart.ITEM, retention)).uid("join-item-product")
                .name("item with product");
        DataStream<ApiRecord> enriched = orderParts.union(itemParts)
                .filter(p -> p.orderKey != null).name("with an order key")
                .keyBy(p -> p.orderKey, Types.STRING)
                .process(new EnrichedOrderJoin(retention, config.get(FlinkSettings.REBUILD_INTERVAL))).uid("join-enriched-order").name("enriched order");

        DataStream<ApiRecord> changeRecords = changes
                .map(c -> {
                    ApiRecord r = ApiRecord.of(ApiRecord.CHANGE, c.eventId, c.eventId, c.apiJson, c.sourceTsMs, c.topic);
                    r.latencyMeasured = !c.snapshot;
                    return r;
                })
                .returns(ApiRecord.class).uid("change-records").name("change records");
        changeRecords.union(decoded.getSideOutput(DecodeFunction.ALERTS), enriched)
                .sinkTo(new RestSink(RestSinkSettings.from(config), shipped, consumerId)).uid("rest-sink").name("REST API");
        decoded.getSideOutput(DecodeFunction.DEAD_LETTERS)
                .sinkTo(new DeadLetterSink(shipped)).uid("dead-letter-sink").name("DLQ topics");
    }
}
