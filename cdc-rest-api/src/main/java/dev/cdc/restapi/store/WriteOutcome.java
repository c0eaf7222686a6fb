package dev.cdc.restapi.store;

/** What the store did with one valid record of a batch. */
public enum WriteOutcome {
    STORED,
    /** Already held: a replayed id (or, for an enriched order, the id its order already holds); nothing changed. */
    DUPLICATE
}
