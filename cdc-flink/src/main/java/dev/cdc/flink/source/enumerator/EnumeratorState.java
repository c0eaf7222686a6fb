package dev.cdc.flink.source.enumerator;

/**
 * The enumerator's checkpoint: only the queue it hands out. The broker keeps every position (what is unacknowledged
 * is redelivered), and splits are handed out again whenever a reader registers, so nothing else needs restoring.
 * Internal.
 */
public record EnumeratorState(String queue) {
}
