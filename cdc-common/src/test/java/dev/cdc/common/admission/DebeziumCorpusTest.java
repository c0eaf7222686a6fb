package dev.cdc.common.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.TableId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event of the corpus in {@code debezium-corpus/} (events as Debezium's Oracle connector 1.x, 2.x and 3.x
 * wrote them, taken from its documentation and public test resources; provenance in that directory's README)
 * through the admission rule, each in the forms a publisher may send it: the value alone, the value inside a
 * key+value envelope with its documented key, and the value alone with the table's key configured.
 */
class DebeziumCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Entry(String file, String kind, String schema, String table, String op, Map<String, Object> key) {
        TableId tableId() {
            return schema == null ? null : new TableId(schema, table);
        }

        @Override
        public String toString() {
            return file + " (" + kind + ")";
        }
    }

    static Stream<Entry> corpus() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(resource("manifest.json"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> key = e.path("key").isObject() ? JSON.convertValue(e.get("key"), Map.class) : null;
            out.add(new Entry(e.get("file").asText(), e.get("kind").asText(), e.path("schema").asText(null),
                    e.path("table").asText(null), e.path("op").asText(null), key));
        }
        assertThat(out).hasSizeGreaterThan(30);
        return out.stream();
    }

    private static byte[] resource(String name) {
        try (InputStream in = DebeziumCorpusTest.class.getResourceAsStream("/debezium-corpus/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The topic a publisher following the default layout would use; an unknown table goes to a topic of none. */
    private static String topic(Entry e) {
        if (e.tableId() == null) {
            return "cdc/oracle/unknown";
        }
        String level = e.op() == null ? "ddl" : TopicLayout.opLevel(e.op());
        return TopicLayout.defaults().topic(e.tableId(), level);
    }

    private static Admitted admit(Entry e, byte[] body, AdmissionSettings settings) {
        return new Admission(settings).admit(new BrokerMessage(topic(e), Map.of(), body));
    }

    private static AdmissionSettings keyConfigured(Entry e, List<String> columns) {
        return new AdmissionSettings(TopicLayout.defaults(), e.tableId() == null ? Map.of() : Map.of(e.tableId(), columns));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void admitsEveryEventAsWhatItIs(Entry e) throws IOException {
        byte[] body = resource(e.file());
        switch (e.kind()) {
            case "change" -> {
                if (e.tableId() == null) {
                    // the documentation elides this example's source block: no table, no SCN, nothing to order by
                    Admitted a = admit(e, body, AdmissionSettings.defaults());
                    assertThat(a).isInstanceOf(Admitted.Rejected.class);
                    assertThat(((Admitted.Rejected) a).errorType()).isEqualTo(ErrorType.MALFORMED_JSON);
                    assertThat(((Admitted.Rejected) a).reason()).contains("payload.source");
                    return;
                }
                List<String> keyColumns = e.key() == null ? List.of("F1") : new ArrayList<>(e.key().keySet());
                assertChange(e, admit(e, body, keyConfigured(e, keyColumns)), keyColumns);

                Admitted unkeyed = admit(e, body, AdmissionSettings.defaults());
                assertThat(unkeyed).isInstanceOf(Admitted.Rejected.class);
                assertThat(((Admitted.Rejected) unkeyed).errorType()).isEqualTo(ErrorType.MISSING_KEY);
                assertThat(((Admitted.Rejected) unkeyed).reason()).contains("tables." + e.tableId() + ".key");

                byte[] keyFile = resource(e.file().replace(".json", ".key.json"));
                if (keyFile != null) {
                    String envelope = "{\"key\":" + new String(keyFile, StandardCharsets.UTF_8) + ",\"value\":"
                            + new String(body, StandardCharsets.UTF_8) + "}";
                    assertChange(e, admit(e, envelope.getBytes(StandardCharsets.UTF_8), AdmissionSettings.defaults()),
                            keyColumns);
                }
            }
            case "tombstone" -> assertThat(admit(e, body, AdmissionSettings.defaults()))
                    .isEqualTo(new Admitted.Skipped(new BrokerMessage(topic(e), Map.of(), body), Admitted.Skip.TOMBSTONE));
            case "transaction" -> assertThat(admit(e, body, AdmissionSettings.defaults()))
                    .isInstanceOfSatisfying(Admitted.Skipped.class,
                            s -> assertThat(s.reason()).isEqualTo(Admitted.Skip.TRANSACTION_METADATA));
            case "truncate" -> assertThat(admit(e, body, AdmissionSettings.defaults()))
                    .isInstanceOfSatisfying(Admitted.Truncate.class, t -> {
                        assertThat(t.table()).isEqualTo(e.tableId());
                        assertThat(t.position().scn()).isPositive();
                    });
            case "schema-change" -> assertThat(admit(e, body, AdmissionSettings.defaults()))
                    .isInstanceOfSatisfying(Admitted.SchemaChange.class, s -> {
                        assertThat(s.table()).isEqualTo(e.tableId());
                        assertThat(s.ddl()).containsIgnoringCase("CREATE TABLE");
                    });
            default -> throw new AssertionError("unknown kind in the manifest: " + e.kind());
        }
    }

    private static void assertChange(Entry e, Admitted admitted, List<String> keyColumns) {
        assertThat(admitted).as(e.file()).isInstanceOf(Admitted.Change.class);
        Admitted.Change change = (Admitted.Change) admitted;
        assertThat(change.event().table()).isEqualTo(e.tableId());
        assertThat(change.event().op().code()).isEqualTo(e.op());
        assertThat(change.event().row()).isNotNull();
        assertThat(change.event().position().scn()).isNotNegative();
        assertThat(change.original().topic()).isEqualTo(topic(e));
        Map<String, String> key = new LinkedHashMap<>();
        change.event().key().forEach((k, v) -> key.put(k, String.valueOf(v)));
        assertThat(key.keySet()).containsExactlyElementsOf(keyColumns);
        if (e.key() != null) {
            Map<String, String> expected = new LinkedHashMap<>();
            e.key().forEach((k, v) -> expected.put(k, String.valueOf(v)));
            assertThat(key).isEqualTo(expected);
        }
    }
}
