package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Runs the REST API target.")
final class ApiCommand extends NotBuiltYet {

    @Override
    String missing() {
        return "the REST API target (issue 8)";
    }
}
