package dev.cdc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Dead letters: list them with their reasons, replay chosen ones after a fix.",
        subcommands = {DlqCommand.List.class, DlqCommand.Replay.class})
final class DlqCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Shows dead letters with their reasons.")
    static final class List extends NotBuiltYet {
        @Override
        String missing() {
            return "the dead-letter store (issue 6)";
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Sends chosen dead letters back through the pipeline.")
    static final class Replay extends NotBuiltYet {
        @Override
        String missing() {
            return "the dead-letter store (issue 6)";
        }
    }
}
