package dev.cdc.flink.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.flink.job.ApiRecord;
import dev.cdc.common.fault.FaultClassifier;
import dev.cdc.common.fault.FaultKind;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts one batch of records to the REST API and says what became of each. An answer the API may give differently
 * next time (5xx, 408, 429, a timeout, a refused connection) is a {@link TransientDeliveryException}; a batch it
 * refuses as bad (any other 4xx: 400, 413, 422, ...) a {@link RejectedBatchException}; what no retry mends (401, 403,
 * a wrong URL: 404, 405, 410, a redirect, an unknown host) a {@link FatalDeliveryException}. {@link #FAULTS} tells the
 * core's fault policy which is which.
 */
final class ApiClient {

    /** The REST sink's rules of the core's fault policy; any other failure is a bug: fatal, loud. */
    static final FaultClassifier FAULTS = e -> e instanceof TransientDeliveryException ? FaultKind.TRANSIENT
            : e instanceof RejectedBatchException ? FaultKind.INVALID : FaultKind.FATAL;

    /** What the API did with one record: stored, duplicate (already held) or invalid (with its reason). */
    record Outcome(ApiRecord record, String status, String reason) {
        boolean accepted() {
            return "stored".equals(status) || "duplicate".equals(status);
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final Duration timeout;

    ApiClient(URI base, String token, Duration timeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.base = base;
        this.authorization = "Bearer " + token;
        this.timeout = timeout;
    }

    List<Outcome> post(String kind, List<ApiRecord> batch) throws IOException, InterruptedException {
        int size = 2 + Math.max(0, batch.size() - 1);
        for (ApiRecord r : batch) {
            size += r.json.length;
        }
        byte[] body = new byte[size]; // the records' own bytes joined into a JSON array: no copy through a String
        body[0] = '[';
        int at = 1;
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            byte[] json = batch.get(i).json;
            System.arraycopy(json, 0, body, at, json.length);
            at += json.length;
        }
        body[at] = ']';
        URI uri = URI.create(base + "/api/v1/" + kind); // under the base's own path, if it has one
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new TransientDeliveryException("no answer from " + uri + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            if (unknownHost(e)) {
                throw new FatalDeliveryException("unknown host in " + uri + " (is sink.rest.url right?): " + e);
            }
            throw new TransientDeliveryException(uri + " unreachable: " + e, e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return outcomes(batch, response.body(), uri);
        }
        String detail = "HTTP " + status + " from " + uri + ": " + abbreviate(response.body());
        if (status >= 500 || status == 429 || status == 408) {
            throw new TransientDeliveryException(detail, null);
        }
        if (status == 401 || status == 403) {
            throw new FatalDeliveryException(detail + " (is sink.rest.token the API's token?)");
        }
        if (status == 404 || status == 405 || status == 410 || status < 400) {
            // the whole endpoint is wrong: splitting the batch would make every record a dead letter
            throw new FatalDeliveryException(detail + " (is sink.rest.url the API's base URL?)");
        }
        throw new RejectedBatchException(detail);
    }

    /** The name in the URL does not resolve: configuration, not an outage. */
    private static boolean unknownHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static List<Outcome> outcomes(List<ApiRecord> batch, String body, URI uri) throws IOException {
        JsonNode results;
        try {
            results = DebeziumJsonCodec.mapper().readTree(body).path("results");
        } catch (IOException e) { // a proxy's page, a truncated answer: the API may answer properly next time
            throw new TransientDeliveryException(uri + " answered 200 with no JSON: " + abbreviate(body), e);
        }
        if (!results.isArray() || results.size() != batch.size()) {
            throw new TransientDeliveryException(uri + " answered 200 without one result per record: "
                    + abbreviate(body), null);
        }
        List<Outcome> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode r = results.get(i);
            out.add(new Outcome(batch.get(i), r.path("status").asText(), r.path("reason").asText(null)));
        }
        return out;
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** Worth another attempt later. */
    static final class TransientDeliveryException extends IOException {
        TransientDeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The API refused the batch as bad; one or more of its records are (found by splitting the batch). */
    static final class RejectedBatchException extends IOException {
        RejectedBatchException(String message) {
            super(message);
        }
    }

    /** A configuration problem no retry mends (wrong token, wrong URL). */
    static final class FatalDeliveryException extends IOException {
        FatalDeliveryException(String message) {
            super(message);
        }
    }
}
