package dev.cdc.common.admission;

import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.SourceInfo;
import dev.cdc.common.event.TableId;

/**
 * What a broker message turned out to be, decided once by {@link Admission} for every engine. Each kind carries the
 * original message with its topic as published (rebuilt from the payload when the broker did not keep it), so a
 * dead letter can be replayed where it came from.
 */
public sealed interface Admitted {

    BrokerMessage original();

    /** A row change with its row key. */
    record Change(BrokerMessage original, ChangeEvent event) implements Admitted {
    }

    /** {@code op: t}: every row of the table written before this position is gone. */
    record Truncate(BrokerMessage original, TableId table, SourceInfo source) implements Admitted {
        public Position position() {
            return source.position();
        }
    }

    /** A schema-change event of the connector: recorded, not applied (the row events carry their own schemas). */
    record SchemaChange(BrokerMessage original, TableId table, String ddl, long tsMs) implements Admitted {
    }

    /** A message that carries no change and is counted, not a dead letter. */
    record Skipped(BrokerMessage original, Skip reason) implements Admitted {
    }

    /** Bad in itself: a dead letter with its reason. */
    record Rejected(BrokerMessage original, ErrorType errorType, String reason) implements Admitted {
    }

    /** Why a message carries no change. */
    enum Skip {
        /** A null or empty body (Kafka's tombstone after a delete, for log compaction). */
        TOMBSTONE,
        /** The connector's heartbeat. */
        HEARTBEAT,
        /** A transaction's BEGIN or END record. */
        TRANSACTION_METADATA
    }
}
