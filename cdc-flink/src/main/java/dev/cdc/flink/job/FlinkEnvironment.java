package dev.cdc.flink.job;

import dev.cdc.common.config.Configuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution environment the job runs in: a local mini-cluster (every server on 127.0.0.1, the web UI if asked)
 * or, under {@code flink run}, the cluster's. Checkpoints are retained on the configured path; a start resumes from
 * the newest complete one (or savepoint) found there, so a job killed or stopped continues with its join state.
 */
public final class FlinkEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkEnvironment.class);

    private FlinkEnvironment() {
    }

    public static StreamExecutionEnvironment create(Configuration config, Path home) {
        Path checkpoints = home.resolve(config.get(FlinkSettings.CHECKPOINT_DIR)).toAbsolutePath().normalize();
        Path savepoints = savepointDir(config, home);
        Map<String, String> flink = new LinkedHashMap<>();
        boolean local = isLocal();
        if (local) { // the mini-cluster's servers; under flink run these are the cluster's (the client submits there)
            flink.put("rest.bind-address", "127.0.0.1");
            flink.put("rest.address", "127.0.0.1");
            // without the UI the mini-cluster's REST endpoint still starts: any free port, so runs never collide
            String restPort = config.get(FlinkSettings.UI) ? Integer.toString(config.get(FlinkSettings.UI_PORT)) : "0";
            flink.put("rest.port", restPort);
            flink.put("rest.bind-port", restPort);
            flink.put("jobmanager.bind-host", "127.0.0.1");
            flink.put("jobmanager.rpc.address", "127.0.0.1");
            flink.put("taskmanager.bind-host", "127.0.0.1");
            flink.put("taskmanager.host", "127.0.0.1");
            flink.put("taskmanager.numberOfTaskSlots", Integer.toString(config.get(FlinkSettings.PARALLELISM)));
        }
        flink.put("execution.checkpointing.interval", config.get(FlinkSettings.CHECKPOINT_INTERVAL).toMillis() + " ms");
        flink.put("execution.checkpointing.dir", checkpoints.toUri().toString());
        flink.put("execution.checkpointing.savepoint-dir", savepoints.toUri().toString());
        flink.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        flink.put("execution.checkpointing.num-retained", "2");
        if (config.get(FlinkSettings.STATE_BACKEND) == FlinkSettings.StateBackend.ROCKSDB) {
            flink.put("state.backend.type", "rocksdb");
            flink.put("execution.checkpointing.incremental", "true"); // a checkpoint uploads only new SST files
        } else {
            flink.put("state.backend.type", "hashmap");
        }
        flink.put("restart-strategy.type", "exponential-delay");
        flink.put("parallelism.default", Integer.toString(config.get(FlinkSettings.PARALLELISM)));
        Optional<Path> resumeFrom = latestSnapshot(checkpoints, savepoints);
        resumeFrom.ifPresentOrElse(p -> {
            flink.put("execution.state-recovery.path", p.toUri().toString());
            LOG.info("resuming from {}", p);
        }, () -> LOG.warn("no checkpoint in {} nor savepoint in {}: the join starts with no state (enriched orders of"
                + " rows that do not change again are not rebuilt)", checkpoints, savepoints));
        org.apache.flink.configuration.Configuration fc = org.apache.flink.configuration.Configuration.fromMap(flink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(fc);
        if (env instanceof LocalStreamEnvironment && config.get(FlinkSettings.UI)) {
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(fc);
        }
        return env;
    }

    /**
     * The REST address of the cluster {@code flink run} submits to (its configuration: {@code rest.address},
     * {@code rest.port}); only meaningful when not {@link #isLocal()}.
     */
    public static String clusterRestUrl() {
        org.apache.flink.configuration.ReadableConfig cluster = StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration();
        return "http://" + cluster.get(org.apache.flink.configuration.RestOptions.ADDRESS) + ":"
                + cluster.get(org.apache.flink.configuration.RestOptions.PORT);
    }

    /** Whether this JVM runs jobs itself (not submitted to a cluster by {@code flink run}). */
    public static boolean isLocal() {
        return StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
    }

    /**
     * Savepoints live apart from checkpoints: checkpoints are the job's (it retains and deletes them), a stop's
     * savepoint is the operator's, and an operator who removes the checkpoints still resumes from the last stop.
     */
    public static Path savepointDir(Configuration config, Path home) {
        String configured = config.get(FlinkSettings.SAVEPOINT_DIR);
        Path checkpoints = home.resolve(config.get(FlinkSettings.CHECKPOINT_DIR)).toAbsolutePath().normalize();
        return configured.isBlank() ? checkpoints.resolveSibling(checkpoints.getFileName() + "-savepoints")
                : home.resolve(configured).toAbsolutePath().normalize();
    }

    /** The newest complete checkpoint or savepoint under these directories (its {@code _metadata} is written last). */
    public static Optional<Path> latestSnapshot(Path... dirs) {
        Optional<Path> newest = Optional.empty();
        long newestTime = Long.MIN_VALUE;
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir, 4)) {
                Optional<Path> here = files.filter(f -> f.getFileName().toString().equals("_metadata"))
                        .max(Comparator.comparingLong(FlinkEnvironment::modified));
                if (here.isPresent() && modified(here.get()) > newestTime) {
                    newestTime = modified(here.get());
                    newest = here.map(Path::getParent);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot look for checkpoints in " + dir, e);
            }
        }
        return newest;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0; // removed while we looked: not a candidate
        }
    }

    /** Where the local web UI answers. */
    public static String uiUrl(Configuration config) {
        return "http://127.0.0.1:" + config.get(FlinkSettings.UI_PORT);
    }
}
