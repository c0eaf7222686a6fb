package dev.cdc.flink.sink;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.common.fault.RetrySettings;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The REST sink's settings (section {@code sink.rest}), declared once, and the serializable copy a job ships to its
 * writers.
 */
public record RestSinkSettings(URI url, String token, int batchSize, Duration linger, int maxInFlight,
                               Duration requestTimeout, RetrySettings retry) implements Serializable {

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
            "a request not answered within it is retried (a transient fault)");
    /**
     * How a transient fault (5xx, 408, 429, timeouts, refused connections) is waited out: for as long as it lasts,
     * nothing acknowledged meanwhile. {@code sink.rest.retry.max-attempts} is gone: after it, records used to become
     * dead letters, so a long outage emptied the queue into the DLQ.
     */
    public static final RetrySettings.Keys RETRY = RetrySettings.Keys.under("sink.rest");

    public static final List<Setting<?>> ALL = Stream.concat(
            Stream.<Setting<?>>of(URL, TOKEN, BATCH_SIZE, LINGER, MAX_IN_FLIGHT, TIMEOUT), RETRY.all().stream()).toList();

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
                config.get(TIMEOUT), RETRY.from(config));
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "RestSinkSettings[url=" + url + ", batchSize=" + batchSize + ", linger=" + linger + ", maxInFlight="
                + maxInFlight + ", retry=" + retry + "]";
    }
}
