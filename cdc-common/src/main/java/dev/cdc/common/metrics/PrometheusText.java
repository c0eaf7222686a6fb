package dev.cdc.common.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Prometheus' text exposition format (version 0.0.4) strictly: every sample belongs to a family with a
 * {@code # TYPE}, names and labels are well formed, values are numbers. Written here because no Java library reads
 * the format (the Prometheus clients only write it); what reads our endpoints (the demo's check, the tests) must
 * fail on anything Prometheus would refuse.
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+-?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"\\s*(,|$)");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created", "_max");

    /** One sample: its metric name, labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types;
    private final List<Sample> samples;

    private PrometheusText(Map<String, String> types, List<Sample> samples) {
        this.types = types;
        this.samples = samples;
    }

    /**
     * @throws IllegalArgumentException naming the line that is not in the format
     */
    public static PrometheusText parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split("\\s+", 4);
                if (parts.length >= 4 && parts[1].equals("TYPE")) {
                    if (!NAME.matcher(parts[2]).matches() || !TYPES.contains(parts[3])) {
                        throw bad(i, line, "a TYPE line needs a metric name and one of " + TYPES);
                    }
                    if (types.put(parts[2], parts[3]) != null) {
                        throw bad(i, line, "a second TYPE for " + parts[2]);
                    }
                }
                continue; // HELP and comments
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw bad(i, line, "not a sample (name{labels} value)");
            }
            String name = m.group(1);
            if (family(name, types) == null) {
                throw bad(i, line, "a sample of " + name + " before its TYPE");
            }
            samples.add(new Sample(name, labels(m.group(3), i, line), value(m.group(4), i, line)));
        }
        return new PrometheusText(types, samples);
    }

    /** The type of a metric family ({@code counter}, {@code histogram}, ...), or null if it has none. */
    public String type(String family) {
        return types.get(family);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The value of the sample with this name whose labels include {@code labels}; empty when there is none. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .map(Sample::value).findFirst();
    }

    /** The sum of every sample with this name (a counter over all its labels); 0 when there is none. */
    public double sum(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }

    private static String family(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : SUFFIXES) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        return null;
    }

    private static Map<String, String> labels(String text, int line, String raw) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length() && m.find(at) && m.start() == at) {
            labels.put(m.group(1), m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
            at = m.end();
        }
        if (at != text.length()) {
            throw bad(line, raw, "labels not in the form name=\"value\",...");
        }
        return labels;
    }

    private static double value(String text, int line, String raw) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw bad(line, raw, "the value " + text + " is not a number");
                }
        }
    }

    private static IllegalArgumentException bad(int line, String text, String why) {
        return new IllegalArgumentException("line " + (line + 1) + " is not Prometheus text format (" + why + "): " + text);
    }
}
