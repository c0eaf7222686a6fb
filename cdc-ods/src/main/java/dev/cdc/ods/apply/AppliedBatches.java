package dev.cdc.ods.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The last batch each consumer applied, in {@code cdc_applied_batches}, for operators. It is not used to skip
 * anything: a batch id is only unique within one checkpoint (a new checkpoint, or a second consumer with the same id,
 * numbers from 0 again), so a skip by batch id would acknowledge new messages unwritten. Replays are recognised row by
 * row by the position guard instead, which cannot be fooled.
 */
final class AppliedBatches {

    private AppliedBatches() {
    }

    static void record(Connection c, String consumerId, long batchId, int events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cdc_applied_batches (consumer_id, batch_id, events) VALUES (?, ?, ?)
                ON CONFLICT (consumer_id) DO UPDATE SET batch_id = EXCLUDED.batch_id, events = EXCLUDED.events,
                    applied_at = now()""")) {
            ps.setString(1, consumerId);
            ps.setLong(2, batchId);
            ps.setInt(3, events);
            ps.executeUpdate();
        }
    }
}
