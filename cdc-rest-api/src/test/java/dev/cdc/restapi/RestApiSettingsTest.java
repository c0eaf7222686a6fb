package dev.cdc.restapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import dev.cdc.restapi.http.Faults;
import dev.cdc.restapi.store.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestApiSettingsTest {

    static final Path HOME = Path.of("/opt/cdc");

    static Configuration config(Map<String, String> values) {
        return Configuration.empty().with(values);
    }

    @Test
    void theDefaultsAreLoopbackPort8080FullDurabilityAndNoFaults() {
        RestApiOptions o = RestApiSettings.options(config(Map.of("api.token", "t")), HOME);
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.dataDir()).isEqualTo(Path.of("/opt/cdc/data/rest-api"));
        assertThat(o.maxBatch()).isEqualTo(10_000);
        assertThat(o.maxBodyBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(o.durability()).isEqualTo(Durability.FULL);
        assertThat(o.faults()).isEqualTo(Faults.NONE);
        assertThat(o).isEqualTo(RestApiOptions.defaults("t", Path.of("/opt/cdc/data/rest-api")));
    }

    @Test
    void everySettingIsReadIntoItsType() {
        RestApiOptions o = RestApiSettings.options(config(Map.of("api.token", "t", "api.host", "0.0.0.0",
                "api.port", "0", "api.data-dir", "/var/lib/api", "api.max-batch", "500", "api.max-body-mb", "2",
                "api.durability", "normal", "api.faults.unavailable-ratio", "0.25", "api.faults.latency", "150ms",
                "api.faults.latency-ratio", "1")), HOME);
        assertThat(o).isEqualTo(new RestApiOptions("0.0.0.0", 0, "t", Path.of("/var/lib/api"), 500, 2L << 20,
                Durability.NORMAL, new Faults(0.25, Duration.ofMillis(150), 1.0)));
    }

    @Test
    void aRelativeDataDirIsUnderTheProjectDirectory() {
        assertThat(RestApiSettings.dataDir(config(Map.of("api.data-dir", "run/../api")), HOME)).isEqualTo(Path.of("/opt/cdc/api"));
    }

    @Test
    void withoutATokenItRefusesWithOneLineNamingTheKeyAndTheVariable() {
        assertThatThrownBy(() -> RestApiSettings.options(Configuration.empty(), HOME))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: " + RestApiSettings.TOKEN_REQUIRED)
                .hasMessageContaining("api.token").hasMessageContaining("REST_API_TOKEN");
        assertThatThrownBy(() -> RestApiOptions.defaults(" ", HOME)).hasMessageContaining("REST_API_TOKEN");
    }

    @Test
    void everyBadValueIsReportedTogetherWithItsKey() {
        assertThatThrownBy(() -> RestApiSettings.options(config(Map.of("api.token", "s3cret-value",
                "api.faults.unavailable-ratio", "1.5", "api.faults.latency-ratio", "often", "api.port", "70000",
                "api.durability", "fast", "api.faults.latency", "-5s")), HOME))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("api.port:"),
                        p -> assertThat(p).startsWith("api.durability:").contains("full, normal"),
                        p -> assertThat(p).startsWith("api.faults.unavailable-ratio:").contains("[0, 1]").contains("1.5"),
                        p -> assertThat(p).startsWith("api.faults.latency:").contains("0ms"),
                        p -> assertThat(p).startsWith("api.faults.latency-ratio:").contains("[0, 1]")))
                .hasMessageNotContaining("s3cret-value");
    }

    @Test
    void allListsEverySettingOfTheSectionOnce() {
        assertThat(RestApiSettings.all()).extracting(s -> s.key()).doesNotHaveDuplicates()
                .allMatch(k -> k.startsWith(RestApiSettings.SECTION + "."))
                .contains("api.host", "api.port", "api.token", "api.data-dir", "api.max-batch", "api.max-body-mb",
                        "api.durability", "api.faults.unavailable-ratio", "api.faults.latency", "api.faults.latency-ratio");
        Configuration c = config(Map.of("api.token", "t", "api.prot", "1"));
        assertThatThrownBy(() -> c.validate(RestApiSettings.all(), java.util.List.of(RestApiSettings.SECTION)))
                .hasMessageContaining("api.prot: unknown setting");
        assertThat(RestApiSettings.TOKEN.secret()).isTrue();
    }

    @Test
    void theOptionsNeverShowTheToken() {
        assertThat(RestApiOptions.defaults("s3cret-value", HOME).toString()).doesNotContain("s3cret-value");
    }
}
