package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "infra", mixinStandardHelpOptions = true,
        description = "Starts the embedded broker and PostgreSQL, prints their endpoints, runs until Ctrl-C.")
final class InfraCommand extends NotBuiltYet {

    @Override
    String missing() {
        return "the embedded broker and PostgreSQL (issue 5)";
    }
}
