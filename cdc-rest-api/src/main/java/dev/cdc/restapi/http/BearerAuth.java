package dev.cdc.restapi.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>}. Tokens are compared as SHA-256 digests with a constant-time
 * compare, so neither the content nor the length of the expected token leaks through timing. The token is never
 * logged nor echoed.
 */
final class BearerAuth {

    private static final String SCHEME = "Bearer ";

    private final byte[] expected;

    BearerAuth(String token) {
        this.expected = digest(token);
    }

    /** @throws ApiError 401 with {@code WWW-Authenticate: Bearer} when the token is missing or wrong */
    void require(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw ApiError.unauthorized("missing bearer token (Authorization: Bearer <api.token>)");
        }
        if (!MessageDigest.isEqual(expected, digest(header.substring(SCHEME.length()).trim()))) {
            throw ApiError.unauthorized("invalid bearer token");
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
