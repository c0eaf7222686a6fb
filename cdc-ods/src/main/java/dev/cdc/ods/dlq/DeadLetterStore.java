package dev.cdc.ods.dlq;

import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.util.PGobject;

/**
 * {@code cdc_dlq}: dead letters with their reason and the original message. The same failure of the same message
 * (a redelivery, a replayed batch) keeps one record and counts the retry.
 */
public final class DeadLetterStore {

    /** A stored dead letter, as {@code ./cdc dlq list} shows it and {@code replay} sends it back. */
    public record StoredDeadLetter(long id, String topic, String messageKey, Long sourceScn, String errorType,
                                   String errorMessage, int retryCount, Instant firstFailedAt, Instant lastFailedAt,
                                   String consumerId, Instant replayedAt, BrokerMessage original) {
    }

    private final DataSource dataSource;

    public DeadLetterStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes in the caller's transaction, so a dead letter is stored exactly when its batch commits. */
    public static void insert(Connection c, List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return;
        }
        // the same message twice in one batch (a duplicate delivery) is one record that failed twice
        Map<String, DeadLetter> unique = new LinkedHashMap<>();
        Map<String, Integer> repeats = new LinkedHashMap<>();
        for (DeadLetter letter : letters) {
            String fingerprint = letter.fingerprint();
            if (unique.putIfAbsent(fingerprint, letter) != null) {
                repeats.merge(fingerprint, 1, Integer::sum);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cdc_dlq (fingerprint, topic, message_key, source_scn, error_type, error_message,
                                     consumer_id, properties, payload, first_failed_at, last_failed_at, retry_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (fingerprint) DO UPDATE SET retry_count = cdc_dlq.retry_count + 1 + EXCLUDED.retry_count,
                    last_failed_at = EXCLUDED.last_failed_at, error_message = EXCLUDED.error_message,
                    consumer_id = EXCLUDED.consumer_id, replayed_at = NULL""")) {
            for (Map.Entry<String, DeadLetter> entry : unique.entrySet()) {
                bind(ps, entry.getKey(), entry.getValue());
                ps.setInt(12, repeats.getOrDefault(entry.getKey(), 0));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Records dead letters taken from the broker's dead-letter queues or a consumer's spill ({@code ./cdc dlq
     * drain}), in the caller's transaction. A dead letter already recorded (its consumer wrote it in its batch, or an
     * interrupted drain did) is left as it is: a copy is not a new failure.
     *
     * @return how many were new
     */
    public static int recordIfAbsent(Connection c, List<DeadLetter> letters) throws SQLException {
        Map<String, DeadLetter> unique = new LinkedHashMap<>();
        for (DeadLetter letter : letters) {
            unique.putIfAbsent(letter.fingerprint(), letter);
        }
        if (unique.isEmpty()) {
            return 0;
        }
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO cdc_dlq (fingerprint, topic, message_key, source_scn, error_type, error_message,
                                     consumer_id, properties, payload, first_failed_at, last_failed_at, retry_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT (fingerprint) DO NOTHING""")) {
            // one statement each: a rewritten batch (reWriteBatchedInserts) does not say how many rows were new
            for (Map.Entry<String, DeadLetter> entry : unique.entrySet()) {
                bind(ps, entry.getKey(), entry.getValue());
                added += ps.executeUpdate();
            }
        }
        return added;
    }

    private static void bind(PreparedStatement ps, String fingerprint, DeadLetter letter) throws SQLException {
        BrokerMessage m = letter.original();
        ps.setString(1, fingerprint);
        ps.setString(2, m.topic());
        ps.setString(3, m.properties().get(MessageProperties.KEY));
        ps.setObject(4, scn(m.properties().get(MessageProperties.SCN)));
        ps.setString(5, letter.errorType().name());
        ps.setString(6, letter.errorMessage());
        ps.setString(7, letter.consumerId());
        PGobject properties = new PGobject();
        properties.setType("jsonb");
        properties.setValue(dev.cdc.common.codec.DebeziumJsonCodec.mapper().valueToTree(m.properties()).toString());
        ps.setObject(8, properties);
        ps.setBytes(9, m.body());
        ps.setTimestamp(10, Timestamp.from(letter.failedAt()));
        ps.setTimestamp(11, Timestamp.from(letter.failedAt()));
    }

    /** Dead letters recorded, replayed or not (for progress and tests). */
    public long count() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM cdc_dlq");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            long n = rs.getLong(1);
            c.commit();
            return n;
        }
    }

    private static Long scn(String text) {
        try {
            return text == null ? null : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null; // a bad SCN property is part of what is shown, not a reason to lose the dead letter
        }
    }

    /**
     * Dead letters, newest first.
     *
     * @param errorType only this type, or null for all
     * @param includeReplayed also those already sent back
     */
    public List<StoredDeadLetter> list(String errorType, boolean includeReplayed, int limit) throws SQLException {
        String sql = "SELECT * FROM cdc_dlq WHERE (?::text IS NULL OR error_type = ?) AND (? OR replayed_at IS NULL)"
                + " ORDER BY last_failed_at DESC, id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, errorType);
            ps.setString(2, errorType);
            ps.setBoolean(3, includeReplayed);
            ps.setInt(4, limit);
            List<StoredDeadLetter> out = read(ps);
            c.commit();
            return out;
        }
    }

    public List<StoredDeadLetter> byIds(List<Long> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM cdc_dlq WHERE id = ANY(?) ORDER BY id")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            List<StoredDeadLetter> out = read(ps);
            c.commit();
            return out;
        }
    }

    /** Marks dead letters as sent back through the pipeline. */
    public void markReplayed(List<Long> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE cdc_dlq SET replayed_at = now() WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
            c.commit();
        }
    }

    private static List<StoredDeadLetter> read(PreparedStatement ps) throws SQLException {
        List<StoredDeadLetter> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Map<String, String> properties = new LinkedHashMap<>();
                String json = rs.getString("properties");
                if (json != null) {
                    dev.cdc.common.codec.DebeziumJsonCodec.mapper().readTree(json).properties()
                            .forEach(e -> properties.put(e.getKey(), e.getValue().asText()));
                }
                Timestamp replayed = rs.getTimestamp("replayed_at");
                Long scn = rs.getObject("source_scn", Long.class);
                out.add(new StoredDeadLetter(rs.getLong("id"), rs.getString("topic"), rs.getString("message_key"),
                        scn, rs.getString("error_type"), rs.getString("error_message"),
                        rs.getInt("retry_count"), rs.getTimestamp("first_failed_at").toInstant(),
                        rs.getTimestamp("last_failed_at").toInstant(), rs.getString("consumer_id"),
                        replayed == null ? null : replayed.toInstant(),
                        new BrokerMessage(rs.getString("topic"), properties, rs.getBytes("payload"))));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("cdc_dlq.properties is not JSON: " + e.getOriginalMessage(), e);
        }
        return out;
    }
}
