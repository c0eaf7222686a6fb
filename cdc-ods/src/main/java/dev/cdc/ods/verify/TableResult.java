package dev.cdc.ods.verify;

import java.util.List;

/**
 * How one ODS table compares with the truth: row counts, and the first few rows of each kind of mismatch.
 *
 * @param table the ODS table
 * @param source what the truth calls it: the source table ({@code SALES.ORDERS}), {@code extracted} or {@code enriched}
 * @param expected rows the truth expects (tombstones included)
 * @param found rows the ODS holds (tombstones included)
 * @param missing expected rows whose key the ODS lacks
 * @param extra ODS rows whose key the truth lacks (or a repeated key)
 * @param different rows present on both sides whose compared columns differ
 * @param notes what the counts alone do not say (a table that does not exist, a column read from {@code _extra})
 */
public record TableResult(String table, String source, long expected, long found, long missing, long extra,
                          long different, List<Example> missingExamples, List<Example> extraExamples,
                          List<Example> differentExamples, List<String> notes) {

    public TableResult {
        missingExamples = List.copyOf(missingExamples);
        extraExamples = List.copyOf(extraExamples);
        differentExamples = List.copyOf(differentExamples);
        notes = List.copyOf(notes);
    }

    public boolean matches() {
        return missing == 0 && extra == 0 && different == 0;
    }

    /**
     * One row that does not match.
     *
     * @param key the row's key as {@code column=value, ...}
     * @param detail e.g. {@code tombstone}; empty when there is nothing to add
     * @param differences for a different row, each column that differs
     */
    public record Example(String key, String detail, List<Difference> differences) {

        public Example {
            differences = List.copyOf(differences);
        }
    }

    /**
     * A column whose value differs, both values as the report shows them (text quoted, numbers plain). A JSON
     * column that differs is named per top-level field: {@code enriched.customer_tier}.
     */
    public record Difference(String column, String expected, String found) {

        @Override
        public String toString() {
            return column + " expected " + expected + ", found " + found;
        }
    }
}
