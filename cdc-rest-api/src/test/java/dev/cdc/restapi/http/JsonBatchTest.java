package dev.cdc.restapi.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonBatchTest {

    @Test
    void eachRecordIsCutOutOfTheBodyExactlyAsSent() {
        String a = "{ \"id\": \"a\", \"n\": 12.50, \"s\": \"Zoë \\u00e9 🚀 }]\" }";
        String b = "{\"id\":\"b\",\"nested\":{\"x\":[1,{\"y\":null}]}}";
        List<JsonBatch.Element> elements = JsonBatch.parse("\n[ " + a + " ,\n\t" + b + "]\n", 10);

        assertThat(elements).extracting(JsonBatch.Element::json).containsExactly(a, b);
        assertThat(elements.get(0).node().get("n").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(elements.get(0).node().get("n").toString()).isEqualTo("12.50");
        assertThat(elements.get(1).node().get("nested").isObject()).isTrue();
    }

    @Test
    void nestedValuesAreCheckedButOnlyTopLevelFieldsBecomeNodes() {
        List<JsonBatch.Element> elements = JsonBatch.parse(
                "[{\"id\":\"a\",\"after\":{\"X\":[1,{\"y\":null}]},\"items\":[{\"k\":1}],\"big\":123456789012345678901234,"
                        + "\"flag\":true,\"none\":null}]", 10);

        assertThat(elements.get(0).node().get("id").textValue()).isEqualTo("a");
        assertThat(elements.get(0).node().get("after").isObject()).isTrue();
        assertThat(elements.get(0).node().get("items").isArray()).isTrue();
        assertThat(elements.get(0).node().get("big").bigIntegerValue()).hasToString("123456789012345678901234");
        assertThat(elements.get(0).node().get("flag").booleanValue()).isTrue();
        assertThat(elements.get(0).node().get("none").isNull()).isTrue();
        assertThatThrownBy(() -> JsonBatch.parse("[{\"id\":\"a\",\"after\":{\"X\":[1,}}]", 10))
                .hasMessageStartingWith("body is not valid JSON:");
    }

    @Test
    void anEmptyArrayIsAnEmptyBatch() {
        assertThat(JsonBatch.parse("[]", 1)).isEmpty();
    }

    @Test
    void anythingButOneArrayOfObjectsIsRefusedWithWhatWasFound() {
        assertThatThrownBy(() -> JsonBatch.parse("{}", 10)).hasMessage("body must be a JSON array of objects");
        assertThatThrownBy(() -> JsonBatch.parse("[{}, 3]", 10)).hasMessageEndingWith("element 1 is a number");
        assertThatThrownBy(() -> JsonBatch.parse("[[]]", 10)).hasMessageEndingWith("element 0 is an array");
        assertThatThrownBy(() -> JsonBatch.parse("[] {}", 10)).hasMessageContaining("more after its end");
        assertThatThrownBy(() -> JsonBatch.parse("[{\"a\":1,}]", 10))
                .hasMessageStartingWith("body is not valid JSON:").hasMessageContaining("line 1, column");
        assertThatThrownBy(() -> JsonBatch.parse("[{}", 10)).hasMessageStartingWith("body ");
        assertThatThrownBy(() -> JsonBatch.parse("", 10)).hasMessage("body must be a JSON array of objects");
    }

    @Test
    void aBatchOverTheLimitIsRefused() {
        assertThat(JsonBatch.parse("[{},{}]", 2)).hasSize(2);
        assertThatThrownBy(() -> JsonBatch.parse("[{},{},{}]", 2)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(400)).hasMessageContaining("more than 2 records");
    }
}
