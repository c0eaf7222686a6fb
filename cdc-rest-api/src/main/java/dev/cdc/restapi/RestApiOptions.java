package dev.cdc.restapi;

import dev.cdc.restapi.http.Faults;
import dev.cdc.restapi.store.Durability;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link RestApiServer} needs, checked when built. From a configuration: {@link RestApiSettings#options};
 * in tests: {@link #defaults} and the {@code with...} copies.
 *
 * @param port         0 for an ephemeral port
 * @param dataDir      where {@code received.db} lives (absolute, or relative to the working directory)
 * @param maxBodyBytes largest request body accepted; past it, 413
 */
public record RestApiOptions(String host, int port, String token, Path dataDir, int maxBatch, long maxBodyBytes,
                             Durability durability, Faults faults) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BATCH = 10_000;
    public static final int DEFAULT_MAX_BODY_MB = 64;
    /** Bodies are held in memory as one array. */
    public static final long MAX_BODY_BYTES = 1L << 30;

    public RestApiOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("api.host: required, an address to bind such as 127.0.0.1");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("api.port: must be in [0, 65535] (0: any free port), was " + port);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(RestApiSettings.TOKEN_REQUIRED);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("api.max-batch: must be at least 1, was " + maxBatch);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("api.max-body-mb: the body limit must be in [1 byte, 1 GiB], was "
                    + maxBodyBytes + " bytes");
        }
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(faults, "faults");
    }

    /** 127.0.0.1:8080, 10,000 records and 64 MiB per request, durability full, no faults. */
    public static RestApiOptions defaults(String token, Path dataDir) {
        return new RestApiOptions(DEFAULT_HOST, DEFAULT_PORT, token, dataDir, DEFAULT_MAX_BATCH,
                DEFAULT_MAX_BODY_MB * 1024L * 1024L, Durability.FULL, Faults.NONE);
    }

    public RestApiOptions withHost(String host) {
        return new RestApiOptions(host, port, token, dataDir, maxBatch, maxBodyBytes, durability, faults);
    }

    public RestApiOptions withPort(int port) {
        return new RestApiOptions(host, port, token, dataDir, maxBatch, maxBodyBytes, durability, faults);
    }

    public RestApiOptions withMaxBatch(int maxBatch) {
        return new RestApiOptions(host, port, token, dataDir, maxBatch, maxBodyBytes, durability, faults);
    }

    public RestApiOptions withMaxBodyBytes(long maxBodyBytes) {
        return new RestApiOptions(host, port, token, dataDir, maxBatch, maxBodyBytes, durability, faults);
    }

    public RestApiOptions withDurability(Durability durability) {
        return new RestApiOptions(host, port, token, dataDir, maxBatch, maxBodyBytes, durability, faults);
    }

    public RestApiOptions withFaults(Faults faults) {
        return new RestApiOptions(host, port, token, dataDir, maxBatch, maxBodyBytes, durability, faults);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "RestApiOptions[host=" + host + ", port=" + port + ", token=(set), dataDir=" + dataDir
                + ", maxBatch=" + maxBatch + ", maxBodyBytes=" + maxBodyBytes + ", durability=" + durability
                + ", faults=" + faults + "]";
    }
}
