package dev.cdc.restapi.store;

/** What the store holds now. Enriched orders are counted live and tombstoned apart. */
public record StoreCounts(long changes, long enrichedOrders, long enrichedOrdersDeleted, long alerts) {
}
