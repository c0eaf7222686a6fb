package dev.cdc.restapi.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.event.KeyText;

/**
 * The current enriched view of one order. The store holds one per {@link #orderKey}: a newer one replaces it, and
 * {@code deleted: true} leaves a tombstone that is not listed as live.
 *
 * @param orderKey the text form of {@code order_id}, the key the store holds it under
 * @param json     the record exactly as received
 */
public record EnrichedOrderRecord(String id, String orderKey, boolean deleted, String json) {

    /** Checks what an enriched order requires: an {@code id}, an {@code order_id}, and a boolean {@code deleted} if present. */
    public static EnrichedOrderRecord from(JsonNode record, String json) throws InvalidRecordException {
        String id = RecordFields.id(record);
        String key = orderKey(record.get("order_id"));
        if (key == null) {
            throw new InvalidRecordException(record.hasNonNull("order_id")
                    ? "order_id must be a number or a non-empty string" : "order_id is missing");
        }
        JsonNode deleted = record.get("deleted");
        if (deleted != null && !deleted.isNull() && !deleted.isBoolean()) {
            throw new InvalidRecordException("deleted must be true or false");
        }
        return new EnrichedOrderRecord(id, key, deleted != null && deleted.booleanValue(), json);
    }

    /**
     * The key an {@code order_id} is held under: its text, with a number written in its plain form so that
     * {@code 1001}, {@code 1001.0} and {@code "1001"} are one order. Null when it is neither a number nor a
     * non-empty string. Readers use it to key what they list.
     */
    public static String orderKey(JsonNode orderId) {
        if (orderId == null) {
            return null;
        }
        if (orderId.isNumber()) {
            return KeyText.of(orderId.decimalValue());
        }
        if (orderId.isTextual() && !orderId.textValue().isEmpty()) {
            return orderId.textValue();
        }
        return null;
    }
}
