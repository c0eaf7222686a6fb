package dev.cdc.cli;

import dev.cdc.common.config.Configuration;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option every command that talks to the infrastructure shares. */
final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "configuration file (default: configs/cdc.yaml in the project directory)")
    Path file;

    /** The project directory: the launcher passes it; tests and IDEs fall back to the working directory. */
    static Path home() {
        return Path.of(System.getProperty("cdc.home", ".")).toAbsolutePath().normalize();
    }

    Configuration load() {
        return Configuration.load(file != null ? file : home().resolve("configs/cdc.yaml"), System.getenv());
    }
}
