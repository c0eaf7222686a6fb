package dev.cdc.restapi;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.restapi.http.Faults;
import dev.cdc.restapi.store.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The REST API's settings (section {@code api}), declared once. */
public final class RestApiSettings {

    public static final String SECTION = "api";

    static final String TOKEN_REQUIRED = "api.token: required: set the environment variable REST_API_TOKEN"
            + " (or api.token in the configuration); the API does not start without a bearer token";

    public static final Setting<String> HOST = Setting.string("api.host", RestApiOptions.DEFAULT_HOST,
            "address the API binds (loopback by default; 0.0.0.0 for every interface)");
    public static final Setting<Integer> PORT = Setting.integer("api.port", RestApiOptions.DEFAULT_PORT, 0, 65535,
            "HTTP port (0: any free port)");
    public static final Setting<String> TOKEN = Setting.secret("api.token",
            "bearer token writers and /admin must send ($REST_API_TOKEN)");
    public static final Setting<String> DATA_DIR = Setting.string("api.data-dir", "data/rest-api",
            "where received.db lives (relative to the project directory)");
    public static final Setting<Integer> MAX_BATCH = Setting.integer("api.max-batch", RestApiOptions.DEFAULT_MAX_BATCH,
            1, 1_000_000, "most records in one request; more is a 400");
    public static final Setting<Integer> MAX_BODY_MB = Setting.integer("api.max-body-mb",
            RestApiOptions.DEFAULT_MAX_BODY_MB, 1, 1024, "largest request body in MiB; larger is a 413");
    public static final Setting<Durability> DURABILITY = Setting.choice("api.durability", Durability.class,
            Durability.FULL, "full: fsync every commit (survives power loss); normal: survives a crash of the process only");
    public static final Setting<Double> FAULT_UNAVAILABLE_RATIO = ratio("api.faults.unavailable-ratio",
            "share of write requests answered 503 (for failure tests)");
    public static final Setting<Duration> FAULT_LATENCY = Setting.duration("api.faults.latency", "0ms",
            "delay added to the answer of a write request (for failure tests)");
    public static final Setting<Double> FAULT_LATENCY_RATIO = ratio("api.faults.latency-ratio",
            "share of write requests delayed by api.faults.latency");

    private static final List<Setting<?>> ALL = List.of(HOST, PORT, TOKEN, DATA_DIR, MAX_BATCH, MAX_BODY_MB,
            DURABILITY, FAULT_UNAVAILABLE_RATIO, FAULT_LATENCY, FAULT_LATENCY_RATIO);

    private RestApiSettings() {
    }

    public static List<Setting<?>> all() {
        return ALL;
    }

    /** A share in [0, 1], written as a decimal number ({@code 0.25}); Setting has no kind for it. */
    static Setting<Double> ratio(String key, String description) {
        return new Setting<>(key, description, "0.0", false, text -> {
            try {
                double value = Double.parseDouble(text.trim());
                if (value >= 0 && value <= 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below with the accepted range
            }
            throw new IllegalArgumentException("expected a number in [0, 1] such as 0.25");
        });
    }

    /** {@code api.data-dir} resolved against the project directory, as {@code infra.data-dir} is. */
    public static Path dataDir(Configuration config, Path home) {
        return home.resolve(config.get(DATA_DIR)).normalize();
    }

    /**
     * The server's options; relative paths resolve against {@code home}.
     *
     * @throws ConfigException naming every invalid key at once, an empty {@code api.token} included
     */
    public static RestApiOptions options(Configuration config, Path home) {
        List<String> problems = new ArrayList<>();
        String host = get(config, HOST, problems);
        Integer port = get(config, PORT, problems);
        String token = get(config, TOKEN, problems);
        if (token != null && token.isBlank()) {
            problems.add(TOKEN_REQUIRED);
        }
        Path dataDir = get(() -> dataDir(config, home), problems);
        Integer maxBatch = get(config, MAX_BATCH, problems);
        Integer maxBodyMb = get(config, MAX_BODY_MB, problems);
        Durability durability = get(config, DURABILITY, problems);
        Double unavailable = get(config, FAULT_UNAVAILABLE_RATIO, problems);
        Duration latency = get(config, FAULT_LATENCY, problems);
        if (latency != null && (latency.isNegative() || latency.compareTo(Faults.MAX_LATENCY) > 0)) {
            problems.add(FAULT_LATENCY.key() + ": expected a duration from 0ms to " + Faults.MAX_LATENCY.toMinutes()
                    + "m, was " + latency);
        }
        Double latencyRatio = get(config, FAULT_LATENCY_RATIO, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new RestApiOptions(host, port, token, dataDir, maxBatch, maxBodyMb * 1024L * 1024L, durability,
                new Faults(unavailable, latency, latencyRatio));
    }

    private static <T> T get(Configuration config, Setting<T> setting, List<String> problems) {
        return get(() -> config.get(setting), problems);
    }

    private static <T> T get(Supplier<T> value, List<String> problems) {
        try {
            return value.get();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }
}
