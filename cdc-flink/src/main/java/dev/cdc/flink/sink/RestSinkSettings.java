package dev.cdc.flink.sink;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The REST sink's settings (section {@code sink.rest}), declared once, and the serializable copy a job ships to its
 * writers.
 */
public record RestSinkSettings(URI url, String token, int batchSize, Duration linger, int maxInFlight,
                               Duration requestTimeout, int maxAttempts, Duration retryInitial, Duration retryMax,
                               int circuitFailureRate, Duration circuitOpenFor) implements Serializable {

    public static final Setting<String> URL = Setting.string("sink.rest.url", "http://127.0.0.1:8080",
            "the REST API target's base URL ($REST_API_URL)");
    public static final Setting<String> TOKEN = Setting.secret("sink.rest.token",
            "bearer token the REST API requires on writes ($REST_API_TOKEN)");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("sink.rest.batch-size", 500, 1, 10_000,
            "records per request");
    public static final Setting<Duration> LINGER = Setting.duration("sink.rest.linger", "20ms",
            "how long a record waits for others to fill its request");
    public static final Setting<Integer> MAX_IN_FLIGHT = Setting.integer("sink.rest.max-in-flight", 4, 1, 256,
            "requests under way at once per sink subtask; past it the job backs up");
    public static final Setting<Duration> TIMEOUT = Setting.duration("sink.rest.timeout", "10s",
            "a request not answered within it is retried");
    public static final Setting<Integer> MAX_ATTEMPTS = Setting.integer("sink.rest.retry.max-attempts", 30, 1, 10_000,
            "attempts per request (5xx, timeouts, refused connections) before its records go to the DLQ");
    public static final Setting<Duration> RETRY_INITIAL = Setting.duration("sink.rest.retry.initial-delay", "200ms",
            "first wait before a retry; doubles each attempt, with jitter");
    public static final Setting<Duration> RETRY_MAX = Setting.duration("sink.rest.retry.max-delay", "10s",
            "longest wait between attempts");
    public static final Setting<Integer> CIRCUIT_FAILURE_RATE = Setting.integer("sink.rest.circuit.failure-rate", 50, 1, 100,
            "percentage of failed requests (of the last 20) that opens the circuit");
    public static final Setting<Duration> CIRCUIT_OPEN_FOR = Setting.duration("sink.rest.circuit.open-for", "5s",
            "how long an open circuit refuses requests before trying again");

    public static final List<Setting<?>> ALL = List.of(URL, TOKEN, BATCH_SIZE, LINGER, MAX_IN_FLIGHT, TIMEOUT, MAX_ATTEMPTS,
            RETRY_INITIAL, RETRY_MAX, CIRCUIT_FAILURE_RATE, CIRCUIT_OPEN_FOR);

    public static RestSinkSettings from(Configuration config) {
        String url = config.get(URL).replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new dev.cdc.common.config.ConfigException(List.of(URL.key() + ": '" + url + "' is not an http(s) URL"));
        }
        String token = config.get(TOKEN);
        if (token.isBlank()) {
            throw new dev.cdc.common.config.ConfigException(List.of(TOKEN.key()
                    + ": the REST API requires a bearer token on writes; set REST_API_TOKEN"));
        }
        return new RestSinkSettings(uri, token, config.get(BATCH_SIZE), config.get(LINGER), config.get(MAX_IN_FLIGHT),
                config.get(TIMEOUT), config.get(MAX_ATTEMPTS), config.get(RETRY_INITIAL), config.get(RETRY_MAX),
                config.get(CIRCUIT_FAILURE_RATE), config.get(CIRCUIT_OPEN_FOR));
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "RestSinkSettings[url=" + url + ", batchSize=" + batchSize + ", linger=" + linger + ", maxInFlight="
                + maxInFlight + ", maxAttempts=" + maxAttempts + "]";
    }
}
