package dev.cdc.broker;

import java.util.Locale;

/**
 * How full a queue is against its quota, and whether that is an alert: a dead-letter queue at its quota refuses
 * dead letters (the consumers keep them elsewhere and go on), so reaching {@link #ALERT_AT} of it is worth telling
 * the operator before that happens.
 *
 * @param quotaBytes the queue's quota, or 0 when not known (no alert then)
 */
public record QueueUsage(String queue, long messages, long bytes, long quotaBytes) {

    /** The share of the quota past which a queue is reported as nearly full. */
    public static final double ALERT_AT = 0.8;

    public double used() {
        return quotaBytes <= 0 ? 0 : (double) bytes / quotaBytes;
    }

    public boolean nearlyFull() {
        return used() >= ALERT_AT;
    }

    /** One line: "cdc.dead-letters: 1,234 messages, 52.1 of 64 MB (81%)". */
    public String describe() {
        String size = quotaBytes <= 0 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f of %d MB (%.0f%%)", bytes / 1048576.0, quotaBytes >> 20, used() * 100);
        return String.format(Locale.ROOT, "%s: %,d message%s, %s", queue, messages, messages == 1 ? "" : "s", size);
    }

    /** The alert line for a nearly full queue, or null. */
    public String alert() {
        if (!nearlyFull()) {
            return null;
        }
        return "ALERT " + describe() + (used() >= 1 ? ": at its quota, it refuses new dead letters"
                : ": nearly at its quota") + "; consumers keep refused dead letters elsewhere and go on."
                + " Drain it with ./cdc dlq drain";
    }
}
