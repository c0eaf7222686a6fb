package dev.cdc.ods.verify;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The ODS compared with a truth, table by table; {@link #render} prints it for people. */
public record VerificationReport(List<TableResult> tables) {

    public VerificationReport {
        tables = List.copyOf(tables);
    }

    /** True when every table holds exactly what the truth expects. */
    public boolean matches() {
        return tables.stream().allMatch(TableResult::matches);
    }

    public Optional<TableResult> table(String name) {
        return tables.stream().filter(t -> t.table().equals(name)).findFirst();
    }

    /**
     * One line per ODS table with its counts, a verdict line, then per table that differs or carries a note the
     * example rows (key, and for a different row each column with both values).
     */
    public void render(PrintWriter out) {
        int tw = Math.max("ODS table".length(), tables.stream().mapToInt(t -> t.table().length()).max().orElse(0));
        int sw = Math.max("truth".length(), tables.stream().mapToInt(t -> t.source().length()).max().orElse(0));
        String row = "%-" + tw + "s  %-" + sw + "s  %9s  %9s  %8s  %8s  %9s  %s";
        out.println(String.format(Locale.ROOT, row, "ODS table", "truth", "expected", "found", "missing", "extra",
                "different", "").stripTrailing());
        for (TableResult t : tables) {
            out.println(String.format(Locale.ROOT, row, t.table(), t.source(), n(t.expected()), n(t.found()),
                    n(t.missing()), n(t.extra()), n(t.different()), t.matches() ? "ok" : "MISMATCH"));
        }
        long bad = tables.stream().filter(t -> !t.matches()).count();
        out.println(bad == 0 ? "MATCH: the ODS holds exactly the truth (" + tables.size() + " tables)"
                : String.format(Locale.ROOT, "MISMATCH: %d of %d tables differ (%s missing, %s extra, %s different rows)",
                        bad, tables.size(), n(tables.stream().mapToLong(TableResult::missing).sum()),
                        n(tables.stream().mapToLong(TableResult::extra).sum()),
                        n(tables.stream().mapToLong(TableResult::different).sum())));
        for (TableResult t : tables) {
            if (t.matches() && t.notes().isEmpty()) {
                continue;
            }
            out.println();
            out.println(t.table() + " (" + t.source() + ")");
            t.notes().forEach(note -> out.println("  note: " + note));
            examples(out, "missing", t.missingExamples(), t.missing());
            examples(out, "extra", t.extraExamples(), t.extra());
            examples(out, "different", t.differentExamples(), t.different());
        }
        out.flush();
    }

    public String render() {
        StringWriter text = new StringWriter();
        render(new PrintWriter(text));
        return text.toString();
    }

    private static void examples(PrintWriter out, String kind, List<TableResult.Example> examples, long total) {
        for (TableResult.Example e : examples) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-9s  %s", kind, e.key()));
            if (!e.detail().isEmpty()) {
                line.append(" (").append(e.detail()).append(')');
            }
            if (!e.differences().isEmpty()) {
                line.append(": ").append(String.join("; ", e.differences().stream().map(Object::toString).toList()));
            }
            out.println(line);
        }
        if (total > examples.size()) {
            out.printf(Locale.ROOT, "  ... and %s more %s%n", n(total - examples.size()), kind);
        }
    }

    private static String n(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }
}
