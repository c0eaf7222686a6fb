package dev.cdc.restapi.store;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A change event as the pipeline forwards it; idempotent by {@code id}.
 *
 * @param json the record exactly as received
 */
public record ChangeRecord(String id, String table, String json) {

    /** Checks what a change requires: an {@code id} and a {@code table}. */
    public static ChangeRecord from(JsonNode record, String json) throws InvalidRecordException {
        return new ChangeRecord(RecordFields.id(record), RecordFields.requiredText(record, "table"), json);
    }
}
