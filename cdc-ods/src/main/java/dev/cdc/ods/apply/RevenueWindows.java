package dev.cdc.ods.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code cdc_order_revenue_5m}: orders, revenue and average order value per 5-minute window x customer tier x
 * product category, over the enriched orders. An order counts once in each group it has items in, so the totals are
 * sums over orders and move by each order's share alone: its old enriched row leaves them, its new one joins them.
 * A window is never recomputed whole (a product change touches orders in every open window, and recomputing those
 * windows read every enriched row in them, a cost that grew with the run). Recomputes move the totals one at a time
 * ({@link #lock}): two recomputes of one order must not both take its old row out. A window closes once the watermark (newest source commit time seen minus the
 * allowed lateness) passes its end; a closed window is final, and what still arrives for it is counted, not applied.
 */
final class RevenueWindows {

    private static final String WINDOW = "5 minutes";
    /** Advisory lock key of the windows' totals ("cdcrevw" in ASCII). */
    private static final long LOCK = 0x63646372657677L;

    private final Duration lateness;

    RevenueWindows(Duration lateness) {
        this.lateness = lateness;
    }

    /** Takes the windows' lock until the transaction ends: their totals move by one writer's deltas at a time. */
    void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, LOCK);
            ps.executeQuery().close();
        }
    }

    /** The windows these orders' enriched rows fall in now. */
    Set<String> of(Connection c, Collection<String> orderKeys) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT date_bin('" + WINDOW + "', created_at, timestamp"
                + " '2000-01-01')::text FROM cdc_orders_enriched WHERE order_id = ANY(?::bigint[]) AND created_at IS NOT NULL")) {
            ps.setArray(1, c.createArrayOf("text", orderKeys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Adds ({@code sign} +1) or takes away (-1) these orders' enriched rows to or from the totals of their open
     * windows. Groups are written in key order, so writers adding at once wait for each other rather than deadlock.
     */
    void add(Connection c, Collection<String> orderKeys, int sign) throws SQLException {
        try (PreparedStatement add = c.prepareStatement("""
                INSERT INTO cdc_order_revenue_5m AS r (window_start, window_end, customer_tier, product_category, orders,
                                                       revenue, avg_order_value)
                SELECT w, w + interval '%s', tier, category, ? * count(*), ? * sum(subtotal),
                       round(sum(subtotal) / count(*), 2)
                FROM (SELECT date_bin('%s', e.created_at, timestamp '2000-01-01') AS w,
                             coalesce(e.customer_tier, 'UNKNOWN') AS tier,
                             coalesce(i->>'product_category', 'UNKNOWN') AS category, e.order_id,
                             sum(coalesce((i->>'subtotal')::numeric, 0)) AS subtotal
                      FROM cdc_orders_enriched e CROSS JOIN LATERAL jsonb_array_elements(e.enriched->'items') i
                      WHERE e.order_id = ANY(?::bigint[]) AND e.created_at IS NOT NULL
                      GROUP BY 1, 2, 3, 4) x
                WHERE NOT EXISTS (SELECT 1 FROM cdc_order_revenue_5m closed WHERE closed.window_start = x.w AND closed.closed)
                GROUP BY w, tier, category
                ORDER BY w, tier, category
                ON CONFLICT (window_start, customer_tier, product_category) DO UPDATE
                SET orders = r.orders + EXCLUDED.orders, revenue = r.revenue + EXCLUDED.revenue,
                    avg_order_value = CASE WHEN r.orders + EXCLUDED.orders > 0
                        THEN round((r.revenue + EXCLUDED.revenue) / (r.orders + EXCLUDED.orders), 2) ELSE 0 END,
                    _recomputed_at = now()""".formatted(WINDOW, WINDOW))) {
            add.setInt(1, sign);
            add.setInt(2, sign);
            add.setArray(3, c.createArrayOf("text", orderKeys.toArray()));
            add.executeUpdate();
        }
    }

    /** Counts a change to a closed window as late, and drops open groups no order falls in any more. */
    void settle(Connection c, Set<String> windows) throws SQLException {
        if (windows.isEmpty()) {
            return;
        }
        try (PreparedStatement late = c.prepareStatement("UPDATE cdc_order_revenue_5m SET late_changes = late_changes + 1"
                + " WHERE closed AND window_start = ANY(?::timestamp[])");
             PreparedStatement empty = c.prepareStatement("DELETE FROM cdc_order_revenue_5m WHERE orders = 0"
                + " AND NOT closed AND window_start = ANY(?::timestamp[])")) {
            late.setArray(1, c.createArrayOf("text", windows.toArray()));
            late.executeUpdate();
            empty.setArray(1, c.createArrayOf("text", windows.toArray()));
            empty.executeUpdate();
        }
    }

    /** Moves the watermark to the newest source commit time seen minus the lateness, and closes what it passed. */
    void close(Connection c, long newestCommitMs) throws SQLException {
        LocalDateTime candidate = LocalDateTime.ofInstant(Instant.ofEpochMilli(newestCommitMs).minus(lateness), ZoneOffset.UTC);
        try (PreparedStatement watermark = c.prepareStatement("""
                INSERT INTO cdc_watermarks (name, watermark) VALUES ('cdc_order_revenue_5m', ?)
                ON CONFLICT (name) DO UPDATE SET watermark = greatest(cdc_watermarks.watermark, EXCLUDED.watermark),
                    updated_at = now()""");
             PreparedStatement close = c.prepareStatement("""
                UPDATE cdc_order_revenue_5m SET closed = true WHERE NOT closed
                AND window_end <= (SELECT watermark FROM cdc_watermarks WHERE name = 'cdc_order_revenue_5m')""")) {
            watermark.setObject(1, candidate);
            watermark.executeUpdate();
            close.executeUpdate();
        }
    }
}
