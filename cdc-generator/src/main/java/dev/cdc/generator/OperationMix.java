package dev.cdc.generator;

/** Percentages of inserts, updates and deletes for one table; they add up to 100. */
public record OperationMix(int insert, int update, int delete) {

    public OperationMix {
        if (insert < 0 || update < 0 || delete < 0 || insert + update + delete != 100) {
            throw new IllegalArgumentException("operation mix " + insert + "/" + update + "/" + delete
                    + " must be three non-negative percentages adding up to 100");
        }
    }

    /** Parses {@code 70/25/5}. */
    public static OperationMix parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException("invalid operation mix \"" + text + "\"; expected INSERT/UPDATE/DELETE percentages, e.g. 70/25/5");
        }
        try {
            return new OperationMix(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()), Integer.parseInt(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid operation mix \"" + text + "\"; expected INSERT/UPDATE/DELETE percentages, e.g. 70/25/5");
        }
    }

    @Override
    public String toString() {
        return insert + "/" + update + "/" + delete;
    }
}
