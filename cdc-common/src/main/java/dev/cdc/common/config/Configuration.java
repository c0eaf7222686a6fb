package dev.cdc.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings from a YAML file (nested keys joined with dots: {@code broker.port}), with {@code ${VAR:default}}
 * placeholders resolved from the environment, then overrides (command-line flags) on top. Values are read through
 * declared {@link Setting}s; {@link #validate} checks a set of them at start and reports every problem together.
 */
public final class Configuration {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, String> values;
    private final String origin;

    private Configuration(Map<String, String> values, String origin) {
        this.values = Map.copyOf(values);
        this.origin = origin;
    }

    public static Configuration empty() {
        return new Configuration(Map.of(), "defaults");
    }

    /** Loads a YAML file; placeholders are resolved from {@code env}. */
    public static Configuration load(Path file, Map<String, String> env) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(List.of("config file " + file + " does not exist"));
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(List.of(file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
        }
        Map<String, String> flat = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (root != null && !root.isNull() && !root.isMissingNode()) {
            if (!root.isObject()) {
                throw new ConfigException(List.of(file + ": expected a mapping of settings at the top level"));
            }
            flatten("", root, flat, env, problems);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Configuration(flat, file.toString());
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Map<String, String> env,
                                List<String> problems) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(key, value, out, env, problems);
            } else if (value.isArray()) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                out.put(key, resolve(key, String.join(",", items), env, problems));
            } else if (!value.isNull()) {
                out.put(key, resolve(key, value.asText(), env, problems));
            }
        }
    }

    /** Replaces {@code ${VAR}} and {@code ${VAR:default}}; a variable that is unset and has no default is a problem. */
    static String resolve(String key, String text, Map<String, String> env, List<String> problems) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                problems.add(key + ": environment variable " + m.group(1) + " is not set and has no default");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Every key and its resolved value (secrets included): for shipping the configuration to an engine's tasks. */
    public Map<String, String> asMap() {
        return values;
    }

    /** A copy with these keys set (e.g. from command-line flags); null values are ignored. */
    public Configuration with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        overrides.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new Configuration(merged, origin);
    }

    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /**
     * The names under {@code prefix} that carry one of the {@code leaves} settings, e.g. the queue names under
     * {@code queues} (a name may itself contain dots: {@code queues.cdc.events.subscription} is queue
     * {@code cdc.events}).
     */
    public Set<String> children(String prefix, Set<String> leaves) {
        Set<String> names = new TreeSet<>();
        String p = prefix + ".";
        for (String key : values.keySet()) {
            if (key.startsWith(p)) {
                for (String leaf : leaves) {
                    if (key.endsWith("." + leaf) && key.length() > p.length() + leaf.length() + 1) {
                        names.add(key.substring(p.length(), key.length() - leaf.length() - 1));
                    }
                }
            }
        }
        return names;
    }

    /**
     * The typed value of a setting.
     *
     * @throws ConfigException naming the key, the value (masked for secrets) and what is accepted
     */
    public <T> T get(Setting<T> setting) {
        String text = values.getOrDefault(setting.key(), setting.defaultValue());
        if (text == null) {
            throw new ConfigException(List.of(setting.key() + ": required (" + setting.description() + ")"));
        }
        try {
            return setting.parser().apply(text);
        } catch (IllegalArgumentException e) {
            // a parser's own message may echo the value, so a secret's is never passed on
            String why = setting.secret() ? "invalid value" : e.getMessage();
            throw new ConfigException(List.of(setting.key() + ": " + why + ", was " + setting.shown(text)
                    + " (from " + (values.containsKey(setting.key()) ? origin : "the default") + ")"));
        }
    }

    /**
     * Checks every setting at once, and that no key under the given sections is unknown (a typo is an error, not
     * a silently ignored line).
     */
    public void validate(Collection<Setting<?>> settings, Collection<String> sections) {
        List<String> problems = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        for (Setting<?> s : settings) {
            known.add(s.key());
            try {
                get(s);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        for (String key : values.keySet()) {
            boolean inSection = sections.stream().anyMatch(s -> key.startsWith(s + "."));
            if (inSection && !known.contains(key)) {
                problems.add(key + ": unknown setting (in " + origin + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
