package dev.cdc.restapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

class EnrichedOrderRecordTest {

    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    static JsonNode node(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void anOrderIdIsKeyedByItsTextSoOneOrderHasOneKey() throws Exception {
        assertThat(EnrichedOrderRecord.orderKey(node("1001"))).isEqualTo("1001");
        assertThat(EnrichedOrderRecord.orderKey(node("1001.0"))).isEqualTo("1001");
        assertThat(EnrichedOrderRecord.orderKey(node("1.001e3"))).isEqualTo("1001");
        assertThat(EnrichedOrderRecord.orderKey(node("\"1001\""))).isEqualTo("1001");
        assertThat(EnrichedOrderRecord.orderKey(node("10.50"))).isEqualTo("10.5");
        assertThat(EnrichedOrderRecord.orderKey(node("12345678901234567890123"))).isEqualTo("12345678901234567890123");
        assertThat(EnrichedOrderRecord.orderKey(node("\"A-7\""))).isEqualTo("A-7");
        assertThat(EnrichedOrderRecord.orderKey(node("\"\""))).isNull();
        assertThat(EnrichedOrderRecord.orderKey(node("true"))).isNull();
        assertThat(EnrichedOrderRecord.orderKey(null)).isNull();
    }

    @Test
    void aTombstoneIsMarkedAndAbsentDeletedMeansLive() throws Exception {
        assertThat(EnrichedOrderRecord.from(node("{\"id\":\"a\",\"order_id\":1,\"deleted\":true}"), "raw").deleted()).isTrue();
        assertThat(EnrichedOrderRecord.from(node("{\"id\":\"a\",\"order_id\":1}"), "raw").deleted()).isFalse();
        assertThat(EnrichedOrderRecord.from(node("{\"id\":\"a\",\"order_id\":1,\"deleted\":null}"), "raw").deleted()).isFalse();
        assertThatThrownBy(() -> EnrichedOrderRecord.from(node("{\"id\":\"a\",\"order_id\":1,\"deleted\":1}"), "raw"))
                .isInstanceOf(InvalidRecordException.class).hasMessage("deleted must be true or false");
    }
}
