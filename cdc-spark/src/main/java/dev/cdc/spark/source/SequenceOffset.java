package dev.cdc.spark.source;

import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * How far the source has read: the sequence number the driver gave the last message of a batch. A queue is not a
 * replayable log, so a sequence only means something to the run that assigned it; a restarted source continues
 * the numbering after the checkpoint's last offset, and the messages of a batch that never committed come back from
 * the broker (they were never acknowledged) with new numbers.
 */
public final class SequenceOffset extends Offset {

    private final long sequence;

    public SequenceOffset(long sequence) {
        this.sequence = sequence;
    }

    public static SequenceOffset parse(String json) {
        String digits = json.replaceAll("[^0-9-]", "");
        try {
            return new SequenceOffset(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an offset of the cdc-broker source: " + json, e);
        }
    }

    public long sequence() {
        return sequence;
    }

    @Override
    public String json() {
        return "{\"sequence\":" + sequence + "}";
    }
}
