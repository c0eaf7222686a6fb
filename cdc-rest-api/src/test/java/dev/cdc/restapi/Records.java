package dev.cdc.restapi;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Test records in the shapes the pipeline posts. */
public final class Records {

    private Records() {
    }

    public static String change(String table, long scn, int sequence) {
        return """
                {"id":"%s:%d:%d","table":"%s","op":"c","key":{"ORDER_ID":%d},"scn":%d,"sequence":%d,\
                "source_ts_ms":1700000000000,"before":null,"after":{"ORDER_ID":%d,"TOTAL":12.50}}"""
                .formatted(table, scn, sequence, table, scn, scn, sequence, scn);
    }

    public static String changeId(String table, long scn, int sequence) {
        return table + ":" + scn + ":" + sequence;
    }

    /** Changes of SALES.ORDERS with SCNs {@code from} to {@code from + n - 1}. */
    public static String changes(long from, int n) {
        return array(IntStream.range(0, n).mapToObj(i -> change("SALES.ORDERS", from + i, 0)).toList());
    }

    public static String order(Object orderId, String version, boolean deleted) {
        String id = orderId instanceof String s ? "\"" + s + "\"" : orderId.toString();
        return """
                {"id":"%s#%s","order_id":%s,"deleted":%s,"order":{"ORDER_ID":%s,"STATUS":"%s"},\
                "source_ts_ms":1700000000000}""".formatted(orderId, version, id, deleted, id, version);
    }

    public static String alert(String rule, long scn) {
        return """
                {"id":"%s:SALES.ORDERS:%d:0","rule":"%s","table":"SALES.ORDERS","key":{"ORDER_ID":%d},\
                "event_id":"SALES.ORDERS:%d:0","event_time_ms":1700000000000,"column":"TOTAL_AMOUNT",\
                "value":12500.00,"threshold":10000,"message":"big"}""".formatted(rule, scn, rule, scn, scn);
    }

    public static String array(List<String> records) {
        return records.stream().collect(Collectors.joining(",", "[", "]"));
    }

    public static String array(String... records) {
        return array(List.of(records));
    }
}
