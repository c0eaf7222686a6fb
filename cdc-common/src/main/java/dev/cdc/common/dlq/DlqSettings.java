package dev.cdc.common.dlq;

import dev.cdc.common.config.Setting;
import java.util.List;

/** Where dead letters wait outside {@code cdc_dlq} (section {@code dlq} of the configuration), declared once. */
public final class DlqSettings {

    public static final Setting<List<String>> QUEUES = Setting.list("dlq.queues",
            "cdc/dlq/*/>::cdc.dead-letters, cdc.dead",
            "the broker's dead-letter queues ./cdc dlq drain and list --broker read: the dead letters consumers publish,"
                    + " and the dead-message queue (on Solace the queue names; the embedded broker needs ADDRESS::QUEUE"
                    + " for a queue with subscriptions)");
    public static final Setting<String> SPILL_DIR = Setting.string("dlq.spill-dir", "data/dead-letters",
            "where a consumer without a database (Architecture B) keeps dead letters the broker refused (its"
                    + " dead-letter queue full); relative to the project directory");

    public static final List<Setting<?>> ALL = List.of(QUEUES, SPILL_DIR);

    private DlqSettings() {
    }

    /** The queue's own name in a consumer address ({@code ADDRESS::QUEUE} on the embedded broker, else as given). */
    public static String queueName(String address) {
        int at = address.lastIndexOf("::");
        return at < 0 ? address : address.substring(at + 2);
    }
}
