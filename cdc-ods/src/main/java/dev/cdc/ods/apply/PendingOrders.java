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
 * changes their join inputs, claimed and removed in the one that recomputes them, so a crash between the two leaves
 * the work queued. Append-only: writers queueing the same order at once never wait for each other (an order queued
 * twice is recomputed once by whoever claims it).
 */
final class PendingOrders {

    private PendingOrders() {
    }

    /** Queues the orders a query finds; {@code select} yields order keys as text and takes the keys as its one array. */
    static void queueSelected(Connection c, String select, Collection<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cdc_pending_orders (order_id)"
                + " SELECT DISTINCT o FROM (" + select + ") AS s(o) WHERE o IS NOT NULL")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Claims (removes, until commit) every queued order of one slice, {@code slice} of {@code slices} by the order
     * key's hash, so parallel recomputes take disjoint orders; an order queued many times comes once. A claimer of
     * the same slice at once (another consumer) waits for this one's commit and finds what was queued since.
     */
    static Set<String> claim(Connection c, int slice, int slices) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM cdc_pending_orders WHERE mod(hashtext(order_id) & 2147483647, ?) = ?
                RETURNING order_id""")) {
            ps.setInt(1, slices);
            ps.setInt(2, slice);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Orders queued (each once). */
    static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(DISTINCT order_id) FROM cdc_pending_orders");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
