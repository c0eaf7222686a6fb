package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "flink", mixinStandardHelpOptions = true,
        description = "Runs the Flink job (Architecture B) against the configured endpoints.")
final class FlinkCommand extends NotBuiltYet {

    @Override
    String missing() {
        return "the Flink pipeline (issue 8)";
    }
}
