package dev.cdc.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void numbersThatJsonCannotHoldAreWrittenAsNull() throws Exception {
        String text = Json.write(Map.of("nan", Double.NaN, "infinite", Double.POSITIVE_INFINITY));
        assertThat(new ObjectMapper().readTree(text).get("nan").isNull()).isTrue();
        assertThat(new ObjectMapper().readTree(text).get("infinite").isNull()).isTrue();
    }
}
