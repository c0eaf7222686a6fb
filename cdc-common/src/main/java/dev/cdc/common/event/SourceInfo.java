package dev.cdc.common.event;

/**
 * The {@code source} block of the Debezium Oracle connector, field for field. SCNs are strings there (they can
 * exceed a signed 64-bit integer in theory); {@link #position()} reads them as numbers.
 *
 * @param snapshot "true", "last", "false" (or null outside snapshots in some versions)
 */
public record SourceInfo(String version, String connector, String name, long tsMs, String snapshot, String db,
                         String sequence, String schema, String table, String txId, String scn, String commitScn) {

    public TableId tableId() {
        return new TableId(schema, table);
    }

    /**
     * The change's position: SCN, then sequence (0 when absent).
     *
     * @throws MalformedEventException when the SCN is missing or not a number
     */
    public Position position() {
        return new Position(parseLong("source.scn", scn, true), parseLong("source.sequence", sequence, false));
    }

    private static long parseLong(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw MalformedEventException.missing(field);
            }
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw MalformedEventException.wrongValue(field, "a decimal number", value);
        }
    }
}
