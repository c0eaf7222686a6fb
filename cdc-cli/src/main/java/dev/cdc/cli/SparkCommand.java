package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "spark", mixinStandardHelpOptions = true,
        description = "Runs the Spark consumer (Architecture A) against the configured endpoints.")
final class SparkCommand extends NotBuiltYet {

    @Override
    String missing() {
        return "the Spark pipeline (issue 7)";
    }
}
