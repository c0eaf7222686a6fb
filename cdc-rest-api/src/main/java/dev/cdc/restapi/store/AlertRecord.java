package dev.cdc.restapi.store;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An alert a rule raised; idempotent by {@code id}.
 *
 * @param json the record exactly as received
 */
public record AlertRecord(String id, String rule, String json) {

    /** Checks what an alert requires: an {@code id} and a {@code rule}. */
    public static AlertRecord from(JsonNode record, String json) throws InvalidRecordException {
        return new AlertRecord(RecordFields.id(record), RecordFields.requiredText(record, "rule"), json);
    }
}
