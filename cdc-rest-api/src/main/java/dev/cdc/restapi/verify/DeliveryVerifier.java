package dev.cdc.restapi.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdc.common.alert.Alert;
import dev.cdc.common.event.Position;
import dev.cdc.common.event.TableId;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.truth.TruthRow;
import dev.cdc.common.xml.XmlExtraction;
import dev.cdc.restapi.client.ReceivedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Architecture B's truth check: what the REST target received against what the generator recorded.
 * <ul>
 *   <li>changes: every published change received exactly once (the API deduplicates by id; a change it lacks is
 *       missing, one the truth lacks unexpected), in the tables the truth covers (changes of tables the generator
 *       never wrote, from another publisher, are that publisher's to check);</li>
 *   <li>enriched orders: the API's enriched order of each live order equals the join of the final truth, and it holds
 *       none for an order the truth does not have live;</li>
 *   <li>alerts: exactly the alerts the rules raise on the published changes;</li>
 *   <li>extracted rows: for each live parent row, the newest received change that carried its XML document yielded
 *       the rows the truth expects.</li>
 * </ul>
 */
public final class DeliveryVerifier {

    private final ReceivedReader api;
    private final List<XmlExtraction> extractions;

    public DeliveryVerifier(ReceivedReader api, List<XmlExtraction> extractions) {
        this.api = api;
        this.extractions = extractions;
    }

    public DeliveryReport verify(SourceTruth truth) throws IOException, InterruptedException {
        if (!truth.hasChanges() || !truth.hasAlerts()) {
            throw new IOException(truth.dir() + ": the truth does not record the published changes and alerts "
                    + "(written by an older generator): generate it again");
        }
        DeliveryReport report = new DeliveryReport();
        Map<String, Map<String, Newest>> documents = changes(truth, report.section("changes"));
        enriched(truth, report.section("enriched orders"));
        alerts(truth, report.section("alerts"));
        for (XmlExtraction rule : extractions) {
            extracted(truth, rule, documents.getOrDefault(rule.target(), Map.of()), report.section(rule.target()));
        }
        return report;
    }

    /** The newest received document of one parent row: its position and the rows it yielded. */
    private record Newest(Position position, JsonNode rows) {
    }

    private Map<String, Map<String, Newest>> changes(SourceTruth truth, DeliveryReport.Section section)
            throws IOException, InterruptedException {
        Set<String> expected = truth.changeIds();
        section.expected(expected.size());
        Set<String> seen = new HashSet<>(expected.size() * 2);
        Map<String, Map<String, Newest>> documents = new HashMap<>();
        long[] received = {0};
        java.util.function.Consumer<JsonNode> judge = change -> {
            received[0]++;
            String id = change.path("id").asText();
            if (!seen.add(id)) {
                section.problem("received twice: " + id);
            } else if (!expected.contains(id)) {
                section.problem("unexpected: " + id);
            }
            JsonNode extracted = change.path("extracted");
            if (extracted.isObject()) {
                Position position = new Position(change.path("scn").asLong(), change.path("sequence").asLong());
                String parent = change.path("table").asText() + " " + change.path("key");
                extracted.properties().forEach(target -> documents.computeIfAbsent(target.getKey(), t -> new HashMap<>())
                        .merge(parent, new Newest(position, target.getValue()),
                                (a, b) -> b.position().isAfter(a.position()) ? b : a));
            }
        };
        Set<String> tables = new java.util.TreeSet<>();
        truth.tables().keySet().forEach(t -> tables.add(t.toString()));
        expected.forEach(id -> tables.add(id.substring(0, id.indexOf(':'))));
        for (String table : tables) {
            api.forEachChange(table, judge);
        }
        section.received(received[0]);
        for (String id : expected) {
            if (!seen.contains(id)) {
                section.problem("missing: " + id);
            }
        }
        return documents;
    }

    private void enriched(SourceTruth truth, DeliveryReport.Section section) throws IOException, InterruptedException {
        Map<String, JsonNode> received = api.enrichedOrders();
        section.expected(truth.enriched().size());
        section.received(received.size());
        Set<String> expectedKeys = new HashSet<>();
        for (Map<String, Object> row : truth.enriched()) {
            String key = String.valueOf(row.get("order_id"));
            expectedKeys.add(key);
            JsonNode found = received.get(key);
            if (found == null) {
                section.problem("missing: order " + key);
                continue;
            }
            String difference = JsonValues.difference("order " + key, row, JsonValues.java(found.path("order")));
            if (difference != null) {
                section.problem(difference);
            }
        }
        for (String key : received.keySet()) {
            if (!expectedKeys.contains(key)) {
                section.problem("unexpected: order " + key + " (deleted or never created in the source)");
            }
        }
    }

    private void alerts(SourceTruth truth, DeliveryReport.Section section) throws IOException, InterruptedException {
        List<JsonNode> received = api.alerts();
        section.expected(truth.alerts().size());
        section.received(received.size());
        Map<String, Alert> expected = new HashMap<>();
        for (Alert alert : truth.alerts()) {
            expected.put(alert.id(), alert);
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode alert : received) {
            String id = alert.path("id").asText();
            seen.add(id);
            Alert want = expected.get(id);
            if (want == null) {
                section.problem("unexpected: " + id);
            } else {
                String difference = JsonValues.difference(id, want.toMap(), JsonValues.java(alert));
                if (difference != null) {
                    section.problem(difference);
                }
            }
        }
        for (String id : expected.keySet()) {
            if (!seen.contains(id)) {
                section.problem("missing: " + id);
            }
        }
    }

    private static void extracted(SourceTruth truth, XmlExtraction rule, Map<String, Newest> documents,
                                  DeliveryReport.Section section) {
        List<Map<String, Object>> expectedRows = truth.extracted().getOrDefault(rule.target(), List.of());
        section.expected(expectedRows.size());
        Map<String, List<Map<String, Object>>> expectedByParent = new HashMap<>();
        for (Map<String, Object> row : expectedRows) {
            expectedByParent.computeIfAbsent(String.valueOf(row.get(rule.parentKey())), k -> new ArrayList<>()).add(row);
        }
        long received = 0;
        TableId source = rule.source();
        for (TruthRow parent : truth.tables().getOrDefault(source, List.of())) {
            if (parent.deleted() || parent.key().size() != 1) {
                continue;
            }
            Object parentKey = parent.key().values().iterator().next();
            String documentKey = source + " " + JsonValues.keyJson(parent.key());
            Newest newest = documents.get(documentKey);
            List<Object> found = newest == null ? List.of() : castList(JsonValues.java(newest.rows()));
            received += found.size();
            List<Map<String, Object>> want = expectedByParent.getOrDefault(String.valueOf(parentKey), List.of());
            String difference = JsonValues.difference(source + " " + parentKey, want, found);
            if (difference != null) {
                section.problem(difference);
            }
        }
        section.received(received);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }
}
