package dev.cdc.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.schema.ValueType.UnsafeCoercionException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTypeTest {

    @Test
    void typesFollowTheDebeziumSchemaSemanticNameFirst() {
        assertThat(ValueType.of(ConnectSchema.builder(SchemaType.BYTES).name("org.apache.kafka.connect.data.Decimal").build()))
                .isEqualTo(ValueType.DECIMAL);
        assertThat(ValueType.of(ConnectSchema.builder(SchemaType.INT64).name("io.debezium.time.MicroTimestamp").build()))
                .isEqualTo(ValueType.TIMESTAMP);
        assertThat(ValueType.of(ConnectSchema.builder(SchemaType.INT64).name("com.example.Unknown").build()))
                .isEqualTo(ValueType.BIGINT);
        assertThat(ValueType.of(ConnectSchema.of(SchemaType.INT8, true))).isEqualTo(ValueType.SMALLINT);
        assertThat(ValueType.of(ConnectSchema.builder(SchemaType.STRUCT).build())).isEqualTo(ValueType.JSON);
    }

    @Test
    void safeChangesAreCoerced() {
        assertThat(ValueType.BIGINT.coerce("100")).isEqualTo(100L);
        assertThat(ValueType.BIGINT.coerce(new BigDecimal("7.00"))).isEqualTo(7L);
        assertThat(ValueType.DECIMAL.coerce(49.9)).isEqualTo(new BigDecimal("49.9"));
        assertThat(ValueType.DECIMAL.coerce("49.90")).isEqualTo(new BigDecimal("49.90"));
        assertThat(ValueType.TEXT.coerce(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(ValueType.TIMESTAMP.coerce("2026-01-05T08:00:01.5")).isEqualTo(LocalDateTime.of(2026, 1, 5, 8, 0, 1, 500_000_000));
        assertThat(ValueType.TIMESTAMP_TZ.coerce(LocalDateTime.of(2026, 1, 5, 8, 0))).isEqualTo(OffsetDateTime.parse("2026-01-05T08:00Z"));
        assertThat(ValueType.BOOLEAN.coerce(1)).isEqualTo(true);
        assertThat(ValueType.DOUBLE.coerce(new BigDecimal("0.5"))).isEqualTo(0.5);
        assertThat(ValueType.INTEGER.coerce(null)).isNull();
    }

    @Test
    void changesThatLoseInformationAreRefused() {
        assertThatThrownBy(() -> ValueType.BIGINT.coerce("lots")).isInstanceOf(UnsafeCoercionException.class)
                .hasMessageContaining("lots").hasMessageContaining("BIGINT");
        assertThatThrownBy(() -> ValueType.BIGINT.coerce(new BigDecimal("7.5"))).isInstanceOf(UnsafeCoercionException.class);
        assertThatThrownBy(() -> ValueType.SMALLINT.coerce(70_000L)).isInstanceOf(UnsafeCoercionException.class);
        assertThatThrownBy(() -> ValueType.DOUBLE.coerce(new BigDecimal("0.1000000000000000000001")))
                .isInstanceOf(UnsafeCoercionException.class);
        assertThatThrownBy(() -> ValueType.TEXT.coerce(Map.of("CITY", "Zürich"))).isInstanceOf(UnsafeCoercionException.class);
        assertThatThrownBy(() -> ValueType.DECIMAL.coerce(Double.NaN)).isInstanceOf(UnsafeCoercionException.class);
        assertThatThrownBy(() -> ValueType.BYTES.coerce("abc")).isInstanceOf(UnsafeCoercionException.class);
    }

    @Test
    void wideningNeedsNoCheck() {
        assertThat(ValueType.BIGINT.holds(ValueType.INTEGER)).isTrue();
        assertThat(ValueType.DECIMAL.holds(ValueType.BIGINT)).isTrue();
        assertThat(ValueType.INTEGER.holds(ValueType.BIGINT)).isFalse();
        assertThat(ValueType.BIGINT.holds(ValueType.TEXT)).isFalse();
    }
}
