package dev.cdc.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {

    private static final Setting<String> HOST = Setting.string("broker.host", "127.0.0.1", "broker host");
    private static final Setting<Integer> PORT = Setting.integer("broker.port", 5672, 1, 65535, "broker port");
    private static final Setting<String> PASSWORD = Setting.secret("broker.password", "broker password");
    private static final Setting<Duration> TIMEOUT = Setting.duration("broker.timeout", "30s", "send timeout");
    private static final Setting<List<String>> TOPICS = Setting.list("queues.cdc.spark.subscriptions", "cdc/oracle/>", "topics");

    enum Kind { EMBEDDED, AMQP, SOLACE_JCSMP }

    private static final Setting<Kind> KIND = Setting.choice("broker.kind", Kind.class, Kind.EMBEDDED, "which broker");

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("cdc.yaml"), text);
    }

    @Test
    void sizesAreReadInBinaryUnitsOrBytes() {
        Setting<Long> size = Setting.byteSize("flink.source.max-unacknowledged-bytes", "64mb", "bytes held");
        assertThat(Configuration.empty().get(size)).isEqualTo(64L << 20);
        assertThat(Setting.parseByteSize("512kb")).isEqualTo(512L << 10);
        assertThat(Setting.parseByteSize("1 GB")).isEqualTo(1L << 30);
        assertThat(Setting.parseByteSize("1000")).isEqualTo(1000L);
        assertThatThrownBy(() -> Configuration.empty().with(Map.of(size.key(), "0mb")).get(size))
                .hasMessageContaining(size.key()).hasMessageContaining("64mb");
        assertThatThrownBy(() -> Setting.parseByteSize("lots")).hasMessageContaining("expected a size");
    }

    @Test
    void nestedKeysJoinWithDotsAndPlaceholdersComeFromTheEnvironment() throws IOException {
        Configuration c = Configuration.load(yaml("""
                broker:
                  host: ${SOLACE_HOST:localhost}
                  port: ${SOLACE_PORT:5672}
                  timeout: 250ms
                  kind: solace-jcsmp
                queues:
                  cdc.spark:
                    subscriptions: [cdc/oracle/SALES/>, cdc/oracle/HR/*/insert]
                """), Map.of("SOLACE_PORT", "55555"));
        assertThat(c.get(HOST)).isEqualTo("localhost");
        assertThat(c.get(PORT)).isEqualTo(55555);
        assertThat(c.get(TIMEOUT)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.get(KIND)).isEqualTo(Kind.SOLACE_JCSMP);
        assertThat(c.get(TOPICS)).containsExactly("cdc/oracle/SALES/>", "cdc/oracle/HR/*/insert");
        assertThat(c.children("queues", java.util.Set.of("subscriptions"))).containsExactly("cdc.spark");
    }

    @Test
    void overridesWinOverTheFileAndDefaultsFillTheRest() throws IOException {
        Configuration c = Configuration.load(yaml("broker:\n  port: 5672\n"), Map.of())
                .with(Map.of("broker.port", "6000"));
        assertThat(c.get(PORT)).isEqualTo(6000);
        assertThat(c.get(HOST)).isEqualTo("127.0.0.1");
    }

    @Test
    void everyProblemIsReportedTogetherEachNamingItsKey() throws IOException {
        Configuration c = Configuration.load(yaml("""
                broker:
                  port: seventy
                  timeout: soon
                  kind: kafka
                  hots: typo
                """), Map.of());
        assertThatThrownBy(() -> c.validate(List.of(HOST, PORT, TIMEOUT, KIND), List.of("broker")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "broker.port: expected an integer in [1, 65535], was \"seventy\" (from " + dir.resolve("cdc.yaml") + ")",
                        "broker.timeout: expected a duration such as 500ms, 30s, 5m, 1h or PT5M, was \"soon\" (from " + dir.resolve("cdc.yaml") + ")",
                        "broker.kind: expected one of embedded, amqp, solace-jcsmp, was \"kafka\" (from " + dir.resolve("cdc.yaml") + ")",
                        "broker.hots: unknown setting (in " + dir.resolve("cdc.yaml") + ")"));
    }

    @Test
    void aSecretIsNeverShownInAnError() throws IOException {
        Setting<Integer> pin = new Setting<>("broker.pin", "a numeric secret", null, true, Integer::parseInt);
        Configuration c = Configuration.load(yaml("broker:\n  pin: hunter2\n"), Map.of());
        assertThatThrownBy(() -> c.get(pin)).hasMessageNotContaining("hunter2").hasMessageContaining("broker.pin");
        assertThat(PASSWORD.shown("hunter2")).isEqualTo("(set)");
    }

    @Test
    void aPlaceholderWithoutDefaultNeedsItsVariable() throws IOException {
        Path file = yaml("broker:\n  password: ${SOLACE_PASSWORD}\n");
        assertThatThrownBy(() -> Configuration.load(file, Map.of()))
                .hasMessageContaining("broker.password: environment variable SOLACE_PASSWORD is not set");
        assertThat(Configuration.load(file, Map.of("SOLACE_PASSWORD", "s3cret")).get(PASSWORD)).isEqualTo("s3cret");
    }

    @Test
    void missingOrBrokenFileIsAClearError() throws IOException {
        assertThatThrownBy(() -> Configuration.load(dir.resolve("nope.yaml"), Map.of())).hasMessageContaining("does not exist");
        Path broken = yaml("broker: [unclosed\n");
        assertThatThrownBy(() -> Configuration.load(broken, Map.of())).hasMessageContaining("is not valid YAML");
    }

    @Test
    void aRequiredSettingWithoutValueSaysWhatItIs() {
        Setting<String> url = Setting.string("postgres.url", null, "JDBC URL of the ODS");
        assertThatThrownBy(() -> Configuration.empty().get(url)).hasMessage("invalid configuration: postgres.url: required (JDBC URL of the ODS)");
    }
}
