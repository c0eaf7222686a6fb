package dev.cdc.restapi.http;

import java.util.Map;

/** An answer other than 2xx that the client caused or must wait out, sent as {@code {"error": message}}. */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    private ApiError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message, Map.of());
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message, Map.of());
    }

    static ApiError payloadTooLarge(long maxBytes) {
        return new ApiError(413, "body larger than " + maxBytes + " bytes; send smaller batches", Map.of());
    }

    static ApiError unsupportedMediaType(String contentType) {
        return new ApiError(415, "Content-Type must be application/json, was " + contentType, Map.of());
    }

    /** Transient: the client retries after a second. */
    static ApiError unavailable(String message) {
        return new ApiError(503, message, Map.of("Retry-After", "1"));
    }
}
