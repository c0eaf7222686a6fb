package dev.cdc.restapi.verify;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the REST target received compared with the truth, one line per kind of record, with examples of each problem. */
public final class DeliveryReport {

    /** How many examples of each problem are kept. */
    static final int EXAMPLES = 5;

    /** One kind of record: how many were expected and received, and each problem found (counted, a few shown). */
    public static final class Section {
        private final String name;
        private long expected;
        private long received;
        private final List<String> problems = new ArrayList<>();
        private long problemCount;

        Section(String name) {
            this.name = name;
        }

        void expected(long n) {
            expected = n;
        }

        void received(long n) {
            received = n;
        }

        void problem(String text) {
            problemCount++;
            if (problems.size() < EXAMPLES) {
                problems.add(text);
            }
        }

        public String name() {
            return name;
        }

        public long problemCount() {
            return problemCount;
        }

        public boolean matches() {
            return problemCount == 0;
        }
    }

    private final List<Section> sections = new ArrayList<>();

    Section section(String name) {
        Section s = new Section(name);
        sections.add(s);
        return s;
    }

    public List<Section> sections() {
        return List.copyOf(sections);
    }

    public boolean matches() {
        return sections.stream().allMatch(Section::matches);
    }

    public void render(PrintWriter out) {
        for (Section s : sections) {
            out.printf(Locale.ROOT, "  %-16s %,10d expected %,10d received  %s%n", s.name, s.expected, s.received,
                    s.matches() ? "OK" : String.format(Locale.ROOT, "%,d problem(s)", s.problemCount));
            for (String p : s.problems) {
                out.println("      " + p);
            }
        }
        out.println(matches() ? "  MATCH" : "  MISMATCH");
        out.flush();
    }
}
