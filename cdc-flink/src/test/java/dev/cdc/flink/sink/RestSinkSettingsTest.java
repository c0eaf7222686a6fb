package dev.cdc.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdc.common.config.ConfigException;
import dev.cdc.common.config.Configuration;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestSinkSettingsTest {

    private static Configuration shipped(Map<String, String> environment) {
        return Configuration.load(Path.of("..", "configs", "cdc.yaml"), environment);
    }

    @Test
    void theShippedConfigurationTakesTheUrlAndTokenFromTheEnvironment() {
        RestSinkSettings s = RestSinkSettings.from(shipped(Map.of("REST_API_URL", "https://api.example:9443/cdc/",
                "REST_API_TOKEN", "s3cret")));

        assertThat(s.url()).isEqualTo(URI.create("https://api.example:9443/cdc"));
        assertThat(s.token()).isEqualTo("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void withoutATokenItSaysWhichSettingAndVariable() {
        assertThatThrownBy(() -> RestSinkSettings.from(shipped(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.rest.token").hasMessageContaining("REST_API_TOKEN");
    }

    @Test
    void aUrlThatIsNotHttpIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> RestSinkSettings.from(shipped(Map.of("REST_API_URL", "ftp://x", "REST_API_TOKEN", "t"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.rest.url");
    }
}
