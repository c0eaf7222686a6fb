package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compares the ODS with a truth directory written by the generator.")
final class VerifyCommand extends NotBuiltYet {

    @Override
    String missing() {
        return "the ODS verifier (issue 6)";
    }
}
