package dev.cdc.restapi.store;

/**
 * How hard SQLite syncs a commit (its {@code synchronous} mode under WAL). Both survive a crash of the process,
 * kill -9 included, because a committed transaction is in the WAL file before the response is sent; they differ
 * on a crash of the machine.
 */
public enum Durability {
    /** fsync at every commit: an acknowledged batch also survives power loss. */
    FULL,
    /** fsync at checkpoints only: faster; the last commits may be lost if the machine (not the process) dies. */
    NORMAL
}
