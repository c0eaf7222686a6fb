package dev.cdc.common.truth;

import dev.cdc.common.event.TableId;
import java.nio.file.Path;

/**
 * Layout of a truth directory (format version {@value #FORMAT_VERSION}); {@code docs/truth-format.md} describes it
 * for readers.
 */
public final class TruthFiles {

    public static final String FORMAT = "cdc-truth";
    public static final int FORMAT_VERSION = 1;

    public static final String MANIFEST = "manifest.json";
    public static final String TABLES = "tables";
    public static final String EXTRACTED = "extracted";
    public static final String ENRICHED = "enriched.jsonl";
    public static final String DEAD_LETTERS = "dead_letters.jsonl";
    /** Every valid change published, once each; optional (truths of older generators lack it). */
    public static final String CHANGES = "changes.jsonl";
    /** The alerts the configured rules raise on those changes; optional like {@link #CHANGES}. */
    public static final String ALERTS = "alerts.jsonl";

    private TruthFiles() {
    }

    public static Path table(Path dir, TableId table) {
        return dir.resolve(TABLES).resolve(table + ".jsonl");
    }

    public static Path extracted(Path dir, String targetTable) {
        return dir.resolve(EXTRACTED).resolve(targetTable + ".jsonl");
    }
}
