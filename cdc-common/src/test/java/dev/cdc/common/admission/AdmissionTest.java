package dev.cdc.common.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.event.TableId;
import dev.cdc.common.schema.ConnectSchema;
import dev.cdc.common.schema.SchemaType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final TableId CUSTOMERS = new TableId("SALES", "CUSTOMERS");
    private static final String TOPIC = "cdc/oracle/SALES/CUSTOMERS/insert";

    /** A schemaless insert whose source names no table (as the Oracle documentation prints it). */
    private static String schemaless(String after) {
        return "{\"before\":null,\"after\":" + after + ",\"source\":{\"version\":\"2.7.4.Final\",\"name\":\"server1\","
                + "\"ts_ms\":1700000000000,\"scn\":\"1234\",\"commit_scn\":\"1240\",\"rs_id\":\" 0x00001.0001\","
                + "\"ssn\":0,\"redo_thread\":1,\"user_name\":\"SALES\"},\"op\":\"c\",\"ts_ms\":1700000000100}";
    }

    private static BrokerMessage message(String topic, Map<String, String> properties, String body) {
        return new BrokerMessage(topic, properties, body.getBytes(StandardCharsets.UTF_8));
    }

    private static final AdmissionSettings KEYED = new AdmissionSettings(TopicLayout.defaults(),
            Map.of(CUSTOMERS, List.of("CUSTOMER_ID")));

    @Test
    void takesTheTableFromTheTopicAndTheKeyFromTheSetting() {
        Admitted a = new Admission(KEYED).admit(message(TOPIC, Map.of(), schemaless("{\"CUSTOMER_ID\":7,\"NAME\":\"Ann\"}")));

        assertThat(a).isInstanceOfSatisfying(Admitted.Change.class, c -> {
            assertThat(c.event().table()).isEqualTo(CUSTOMERS);
            assertThat(c.event().key()).isEqualTo(Map.of("CUSTOMER_ID", 7L));
            assertThat(c.event().position().scn()).isEqualTo(1234);
        });
    }

    @Test
    void theKeyPropertyComesFirst() {
        Admitted a = new Admission(KEYED).admit(message(TOPIC, Map.of(MessageProperties.KEY, "{\"NAME\":\"Ann\"}"),
                schemaless("{\"CUSTOMER_ID\":7,\"NAME\":\"Ann\"}")));

        assertThat(((Admitted.Change) a).event().key()).isEqualTo(Map.of("NAME", "Ann"));
    }

    @Test
    void theOdsKeyIsTheLastResort() {
        Admission admission = new Admission(AdmissionSettings.defaults(), (table, schema) -> List.of("CUSTOMER_ID"));

        Admitted a = admission.admit(message(TOPIC, Map.of(), schemaless("{\"CUSTOMER_ID\":7}")));

        assertThat(((Admitted.Change) a).event().key()).isEqualTo(Map.of("CUSTOMER_ID", 7L));
    }

    @Test
    void aByteOrderMarkIsSkipped() {
        byte[] json = schemaless("{\"CUSTOMER_ID\":7}").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(json, 0, body, 3, json.length);

        assertThat(new Admission(KEYED).admit(new BrokerMessage(TOPIC, Map.of(), body))).isInstanceOf(Admitted.Change.class);
    }

    @Test
    void aQueueAddressIsReplacedByTheTopicTheChangeWasPublishedTo() {
        Admitted a = new Admission(KEYED).admit(message("cdc/oracle/*/>::cdc.events", Map.of(),
                schemaless("{\"CUSTOMER_ID\":7}").replace("\"user_name\"", "\"schema\":\"SALES\",\"table\":\"CUSTOMERS\",\"user_name\"")));

        assertThat(a.original().topic()).isEqualTo(TOPIC);
    }

    @Test
    void aTopicOutsideTheLayoutAndNoTableInTheSourceIsADeadLetterNamingTheLayoutSetting() {
        Admitted a = new Admission(KEYED).admit(message("server1.SALES.CUSTOMERS", Map.of(), schemaless("{\"CUSTOMER_ID\":7}")));

        assertThat(a).isInstanceOfSatisfying(Admitted.Rejected.class, r -> {
            assertThat(r.errorType()).isEqualTo(ErrorType.MALFORMED_JSON);
            assertThat(r.reason()).contains("server1.SALES.CUSTOMERS").contains("events.topic-layout");
        });
    }

    @Test
    void anotherLayoutIsReadAsConfigured() {
        AdmissionSettings settings = new AdmissionSettings(TopicLayout.of("dbz/{table}/{schema}"),
                Map.of(CUSTOMERS, List.of("CUSTOMER_ID")));

        Admitted a = new Admission(settings).admit(message("dbz/CUSTOMERS/SALES", Map.of(), schemaless("{\"CUSTOMER_ID\":7}")));

        assertThat(((Admitted.Change) a).event().table()).isEqualTo(CUSTOMERS);
    }

    @Test
    void emptyAndNullBodiesAreTombstonesNotDeadLetters() {
        Admission admission = new Admission(KEYED);
        for (String body : List.of("", "  ", "null", "{\"schema\":null,\"payload\":null}")) {
            assertThat(admission.admit(message(TOPIC, Map.of(), body)))
                    .isInstanceOfSatisfying(Admitted.Skipped.class, s -> assertThat(s.reason()).isEqualTo(Admitted.Skip.TOMBSTONE));
        }
    }

    @Test
    void heartbeatsAreSkipped() {
        String heartbeat = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"optional\":false,"
                + "\"field\":\"ts_ms\"}],\"optional\":false,\"name\":\"io.debezium.connector.common.Heartbeat\"},"
                + "\"payload\":{\"ts_ms\":1700000000000}}";

        assertThat(new Admission(KEYED).admit(message("__debezium-heartbeat.server1", Map.of(), heartbeat)))
                .isInstanceOfSatisfying(Admitted.Skipped.class, s -> assertThat(s.reason()).isEqualTo(Admitted.Skip.HEARTBEAT));
    }

    @Test
    void aBodyNoEnvelopeCanBeIsADeadLetterSayingWhat() {
        Admitted a = new Admission(KEYED).admit(new BrokerMessage(TOPIC,
                Map.of(MessageProperties.UNREADABLE_BODY, "an AMQP map (amqp-value)"), new byte[0]));

        assertThat(a).isInstanceOfSatisfying(Admitted.Rejected.class,
                r -> assertThat(r.reason()).contains("an AMQP map (amqp-value)"));
    }

    @Test
    void aSchemalessColumnKeepsTheTypeItWasFirstGiven() {
        Admission admission = new Admission(KEYED);

        Admitted first = admission.admit(message(TOPIC, Map.of(), schemaless("{\"CUSTOMER_ID\":7,\"LIMIT\":100}")));
        Admitted second = admission.admit(message(TOPIC, Map.of(), schemaless("{\"CUSTOMER_ID\":8,\"LIMIT\":100.5}")));

        ConnectSchema type = ((Admitted.Change) first).event().valueSchema().field("LIMIT").orElseThrow().schema();
        assertThat(type.type()).isEqualTo(SchemaType.INT64);
        assertThat(second).isInstanceOf(Admitted.Rejected.class); // not re-guessed as a double
    }

    @Test
    void aSchemalessColumnTakesTheTypeTheTablesSchemaGaveIt() {
        Admission admission = new Admission(KEYED);
        String withSchema = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"struct\",\"optional\":true,\"field\":\"after\","
                + "\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":\"CUSTOMER_ID\"},{\"type\":\"string\",\"optional\":true,"
                + "\"field\":\"LIMIT\"}]}]},\"payload\":" + schemaless("{\"CUSTOMER_ID\":7,\"LIMIT\":\"100\"}") + "}";
        assertThat(admission.admit(message(TOPIC, Map.of(), withSchema))).isInstanceOf(Admitted.Change.class);

        Admitted later = admission.admit(message(TOPIC, Map.of(), schemaless("{\"CUSTOMER_ID\":8,\"LIMIT\":\"250\"}")));

        assertThat(((Admitted.Change) later).event().valueSchema().field("LIMIT").orElseThrow().schema().type())
                .isEqualTo(SchemaType.STRING);
        assertThat(((Admitted.Change) later).event().valueSchema().field("CUSTOMER_ID").orElseThrow().schema().type())
                .isEqualTo(SchemaType.INT32);
    }
}
