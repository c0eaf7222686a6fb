package dev.cdc.restapi.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a write body, a JSON array of objects, into its records, each cut out of the body as its exact text,
 * which is what the store keeps. The validation reads only top-level fields, so only those become nodes: a nested
 * object or array is checked as JSON and left as an empty container of its kind (building the tree of every
 * record's row images was a quarter of the API's time). Internal.
 */
final class JsonBatch {

    /** One object of the array: its top-level fields ({@code node}) and its exact text in the body. */
    record Element(JsonNode node, String json) {
    }

    private JsonBatch() {
    }

    /** @throws ApiError 400 if the body is not a JSON array of objects, or holds more than {@code maxRecords} */
    static List<Element> parse(String body, int maxRecords) {
        List<Element> elements = new ArrayList<>();
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw ApiError.badRequest("body must be a JSON array of objects");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.START_OBJECT) {
                    throw ApiError.badRequest("body must be a JSON array of objects; element " + elements.size()
                            + " is " + describe(t));
                }
                if (elements.size() == maxRecords) {
                    throw ApiError.badRequest("more than " + maxRecords + " records in one request; send smaller batches");
                }
                // char offsets: the body is a String, so the parser counts chars, not bytes
                int start = (int) p.currentTokenLocation().getCharOffset();
                JsonNode node = topLevel(p);
                int end = (int) p.currentLocation().getCharOffset();
                elements.add(new Element(node, body.substring(start, end)));
            }
            if (p.nextToken() != null) {
                throw ApiError.badRequest("body must be one JSON array; found more after its end");
            }
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("parsing a body held in memory", e);
        }
        return elements;
    }

    /** Reads the object the parser is at, to its end; nested containers are skipped (their syntax still checked). */
    private static ObjectNode topLevel(JsonParser p) throws IOException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            node.set(name, switch (value) {
                case START_OBJECT -> {
                    p.skipChildren();
                    yield JsonNodeFactory.instance.objectNode();
                }
                case START_ARRAY -> {
                    p.skipChildren();
                    yield JsonNodeFactory.instance.arrayNode();
                }
                case VALUE_STRING -> TextNode.valueOf(p.getText());
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? BigIntegerNode.valueOf(p.getBigIntegerValue()) : LongNode.valueOf(p.getLongValue());
                case VALUE_NUMBER_FLOAT -> DecimalNode.valueOf(p.getDecimalValue());
                case VALUE_TRUE -> BooleanNode.TRUE;
                case VALUE_FALSE -> BooleanNode.FALSE;
                case VALUE_NULL -> NullNode.instance;
                default -> throw new IllegalStateException("unexpected token " + value + " in an object");
            });
        }
        return node;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "missing (the array is not closed)";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }
}
