package dev.cdc.restapi.store;

import com.fasterxml.jackson.databind.JsonNode;

/** The field checks the record kinds share. Internal. */
final class RecordFields {

    /** Longest id accepted, in UTF-16 chars; ids are keys, not payloads. */
    static final int MAX_ID_LENGTH = 256;

    private RecordFields() {
    }

    static String id(JsonNode record) throws InvalidRecordException {
        JsonNode id = record.get("id");
        if (id == null || id.isNull()) {
            throw new InvalidRecordException("id is missing");
        }
        if (!id.isTextual()) {
            throw new InvalidRecordException("id must be a string");
        }
        String text = id.textValue();
        if (text.isEmpty()) {
            throw new InvalidRecordException("id must not be empty");
        }
        if (text.length() > MAX_ID_LENGTH) {
            throw new InvalidRecordException("id is longer than " + MAX_ID_LENGTH + " characters");
        }
        return text;
    }

    static String requiredText(JsonNode record, String field) throws InvalidRecordException {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRecordException(field + " is missing");
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new InvalidRecordException(field + " must be a non-empty string");
        }
        return value.textValue();
    }
}
