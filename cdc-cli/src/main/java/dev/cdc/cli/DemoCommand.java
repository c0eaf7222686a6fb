package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the main job: embedded broker and PostgreSQL (and the REST API for flink), the generator at 5,000 events/min and the consumer, then the truth check.")
final class DemoCommand extends NotBuiltYet {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "ARCH", description = "spark or flink")
    String architecture;

    @Override
    String missing() {
        return "the end-to-end demo (Spark: issue 7, Flink: issue 8)";
    }
}
