package dev.cdc.ods.apply;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The orders whose enriched row must be recomputed ({@code cdc_pending_orders}): queued in the transaction that
 * changes their join inputs, claimed and removed in the one that recomputes them. A crash between the two leaves the
 * work queued; an order is recomputed by one transaction at a time (a claim deletes its row, and a writer queueing it
 * again waits for that claim to commit), so two recomputes of one order never interleave.
 */
final class PendingOrders {

    private PendingOrders() {
    }

    /** Queues these orders (in key order, so writers queueing overlapping sets at once wait, never deadlock). */
    static void queue(Connection c, Collection<String> orders) throws SQLException {
        if (orders.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cdc_pending_orders (order_id)
                SELECT DISTINCT o FROM unnest(?::text[]) AS o WHERE o IS NOT NULL ORDER BY 1
                ON CONFLICT DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("text", orders.toArray()));
            ps.executeUpdate();
        }
    }

    /** Queues the orders a query finds; {@code select} yields order keys as text and takes the keys as its one array. */
    static void queueSelected(Connection c, String select, Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdc_pending_orders (order_id)"
                + " SELECT DISTINCT o FROM (" + select + ") AS s(o) WHERE o IS NOT NULL ORDER BY 1 ON CONFLICT DO NOTHING")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Claims (removes, until commit) at most {@code limit} queued orders of one slice: {@code slice} of {@code slices}
     * by the order key's hash, so parallel recomputes take disjoint orders; rows another transaction holds are skipped.
     */
    static Set<String> claim(Connection c, int slice, int slices, int limit) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM cdc_pending_orders WHERE order_id IN (
                    SELECT order_id FROM cdc_pending_orders WHERE mod(hashtext(order_id) & 2147483647, ?) = ?
                    ORDER BY order_id LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING order_id""")) {
            ps.setInt(1, slices);
            ps.setInt(2, slice);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM cdc_pending_orders");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
