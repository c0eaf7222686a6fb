package dev.cdc.common.event;

/** Debezium's {@code transaction} block: the transaction id and the event's place in it. */
public record TransactionInfo(String id, long totalOrder, long dataCollectionOrder) {
}
