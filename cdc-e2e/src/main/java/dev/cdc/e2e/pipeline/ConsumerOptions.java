package dev.cdc.e2e.pipeline;

import java.util.Map;

/**
 * What a run changes in its consumer: settings passed as {@code --set} after the run's own (so they win), and the
 * JVM's options (null: the environment's {@code SPARK_JAVA_OPTS} or {@code FLINK_JAVA_OPTS}).
 */
public record ConsumerOptions(Map<String, String> settings, String javaOptions) {

    public static final ConsumerOptions NONE = new ConsumerOptions(Map.of(), null);

    public ConsumerOptions {
        settings = Map.copyOf(settings);
    }

    public ConsumerOptions withSetting(String key, String value) {
        java.util.Map<String, String> s = new java.util.LinkedHashMap<>(settings);
        s.put(key, value);
        return new ConsumerOptions(s, javaOptions);
    }

    public ConsumerOptions withJavaOptions(String options) {
        return new ConsumerOptions(settings, options);
    }
}
