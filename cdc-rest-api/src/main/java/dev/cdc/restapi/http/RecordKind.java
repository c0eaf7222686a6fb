package dev.cdc.restapi.http;

/** The three kinds of records the API receives: their path segment and their name in stats and metrics. */
enum RecordKind {
    CHANGES("changes", "changes"),
    ENRICHED_ORDERS("enriched-orders", "enriched_orders"),
    ALERTS("alerts", "alerts");

    private final String path;
    private final String label;

    RecordKind(String path, String label) {
        this.path = path;
        this.label = label;
    }

    /** {@code /api/v1/<segment>} */
    String path() {
        return "/api/v1/" + path;
    }

    String label() {
        return label;
    }
}
