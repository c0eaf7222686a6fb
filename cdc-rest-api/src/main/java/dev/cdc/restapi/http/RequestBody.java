package dev.cdc.restapi.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads a JSON request body, never more than a limit whatever the client declares. Internal. */
final class RequestBody {

    private RequestBody() {
    }

    /**
     * The body as text.
     *
     * @throws ApiError 415 for a Content-Type other than JSON, 413 past {@code maxBytes}, 400 if not UTF-8
     */
    static String read(Context ctx, long maxBytes) {
        String type = ctx.header("Content-Type");
        if (type != null && !isJson(type)) {
            throw ApiError.unsupportedMediaType(type);
        }
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw ApiError.payloadTooLarge(maxBytes); // refused before reading a byte
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            // a chunked body has no declared length: read one byte past the limit to know it is too large
            bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body", e);
        }
        if (bytes.length > maxBytes) {
            throw ApiError.payloadTooLarge(maxBytes);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("body is not valid UTF-8");
        }
    }

    private static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json");
    }
}
