package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs the benchmarks and writes their report.")
final class BenchCommand extends NotBuiltYet {

    @Override
    String missing() {
        return "the pipeline benchmarks (issues 5-8)";
    }
}
