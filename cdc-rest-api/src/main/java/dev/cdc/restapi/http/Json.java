package dev.cdc.restapi.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** How the endpoints read and write JSON. Internal. */
final class Json {

    /** Numbers kept exact: an {@code order_id} of {@code 1001.50} keys as {@code 1001.5}, never as a rounded double. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    static final String CONTENT_TYPE = "application/json";

    /** Writes a response body. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private Json() {
    }

    static void send(Context ctx, int status, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a response", e); // to memory: does not happen
        }
        ctx.status(status).contentType(CONTENT_TYPE).result(out.toByteArray());
    }

    static void error(Context ctx, int status, String message) {
        send(ctx, status, g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }
}
