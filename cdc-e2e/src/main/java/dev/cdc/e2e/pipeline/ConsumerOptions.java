package dev.cdc.e2e.pipeline;

import java.util.Map;

/**
 * What a run changes in its consumer: settings passed as {@code --set} after the run's own (so they win), the
 * JVM's options (null: the environment's {@code SPARK_JAVA_OPTS} or {@code FLINK_JAVA_OPTS}), and whether the job
 * runs on a local multi-process cluster instead of in the consumer's own JVM.
 */
public record ConsumerOptions(Map<String, String> settings, String javaOptions, boolean cluster) {

    public static final ConsumerOptions NONE = new ConsumerOptions(Map.of(), null, false);

    public ConsumerOptions {
        settings = Map.copyOf(settings);
    }

    public ConsumerOptions withSetting(String key, String value) {
        java.util.Map<String, String> s = new java.util.LinkedHashMap<>(settings);
        s.put(key, value);
        return new ConsumerOptions(s, javaOptions, cluster);
    }

    public ConsumerOptions withJavaOptions(String options) {
        return new ConsumerOptions(settings, options, cluster);
    }

    /**
     * The job on a local cluster: Spark standalone (a Master, two Workers) for spark, a Flink session cluster (a
     * JobManager, two TaskManagers) for flink; the job jar submitted with the engine's own command.
     */
    public ConsumerOptions onCluster() {
        return new ConsumerOptions(settings, javaOptions, true);
    }
}
