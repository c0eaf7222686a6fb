package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stops what infra or demo left running; --clean removes their data.")
final class StopCommand extends NotBuiltYet {

    @CommandLine.Option(names = "--clean", description = "also remove the data they wrote")
    boolean clean;

    @Override
    String missing() {
        return "the embedded infrastructure (issue 5)";
    }
}
