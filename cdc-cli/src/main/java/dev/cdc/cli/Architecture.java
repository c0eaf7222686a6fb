package dev.cdc.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** The two pipelines a command can run; Architecture B (Flink) is not built yet. */
enum Architecture {
    SPARK, FLINK;

    static Architecture parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "spark" -> SPARK;
            case "flink" -> FLINK;
            default -> throw new IllegalArgumentException("ARCH must be spark or flink, was " + text);
        };
    }

    /** Whether this command can run it; if not, says so in one line as every unbuilt command does. */
    boolean built(String command, PrintWriter err) {
        if (this == FLINK) {
            err.println(command + " flink: not built yet: Architecture B (issue 8)");
            return false;
        }
        return true;
    }
}
