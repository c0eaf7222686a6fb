package dev.cdc.e2e.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The suite's results as people read them (a table, one row per scenario and architecture) and as programs do
 * (JSON). Pure: formatting only.
 */
public record ScenarioReport(List<ScenarioResult> results, double seconds) {

    private static final String[] HEADER = {"scenario", "arch", "what was done", "lag peak", "recovery",
        "consumed/published", "truth", "result"};

    public ScenarioReport {
        results = List.copyOf(results);
    }

    public boolean passed() {
        return !results.isEmpty() && results.stream().allMatch(ScenarioResult::passed);
    }

    /** The table, a line per result, then the verdict line. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ScenarioResult r : results) {
            rows.add(new String[] {r.id(), r.architecture(), r.done(), count(r.lagPeak()), recovery(r.recoverySeconds()),
                count(r.consumed()) + "/" + count(r.published()), r.truth(),
                (r.passed() ? "PASS" : "FAIL") + (r.reason().isEmpty() ? "" : ": " + r.reason())});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) { // the last column is not padded
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], width[i], i >= 3 && i <= 5)).append(i == row.length - 1 ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        out.append(String.format(Locale.ROOT, "%d of %d passed, %d failed, in %.0f s%n", results.size() - failed,
                results.size(), failed, seconds));
        return out.toString();
    }

    /** The JSON report: the verdict, the wall time and every result with all its fields. */
    public String json() throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("passed", passed());
        root.put("seconds", Math.round(seconds));
        ArrayNode list = root.putArray("scenarios");
        for (ScenarioResult r : results) {
            ObjectNode n = list.addObject();
            n.put("id", r.id());
            n.put("architecture", r.architecture());
            n.put("done", r.done());
            n.put("lag_peak", r.lagPeak());
            n.put("recovery_seconds", r.recoverySeconds() < 0 ? null : round(r.recoverySeconds()));
            n.put("consumed", r.consumed());
            n.put("published", r.published());
            n.put("truth", r.truth());
            n.put("passed", r.passed());
            n.put("reason", r.reason());
            n.put("seconds", round(r.seconds()));
        }
        return mapper.writeValueAsString(root) + "\n";
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json());
    }

    private static Double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String count(long v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%,d", v);
    }

    private static String recovery(double seconds) {
        return seconds < 0 ? "-" : String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
