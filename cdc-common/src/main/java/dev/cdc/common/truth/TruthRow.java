package dev.cdc.common.truth;

import dev.cdc.common.event.Position;
import java.util.Map;

/**
 * The final state of one source row: its key, whether it ended deleted, the position of its last change, and the
 * row the ODS must hold (null when deleted).
 */
public record TruthRow(Map<String, Object> key, boolean deleted, Position position, Map<String, Object> row) {
}
