package dev.cdc.cli;

import java.util.ArrayList;
import java.util.List;
import dev.cdc.cli.pipeline.SparkProcess;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "spark", mixinStandardHelpOptions = false,
        description = {"Runs the Spark consumer (Architecture A) against the configured endpoints until Ctrl-C.",
            "Options: --config FILE, --set KEY=VALUE (repeatable), --progress human|json, --progress-interval 5s;",
            "'./cdc spark --help' lists them (the consumer runs in its own JVM)."})
final class SparkCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try {
            return SparkProcess.runInForeground(ConfigOption.home(), args);
        } catch (SparkProcess.NotBuilt e) {
            spec.commandLine().getErr().println("cdc spark: " + e.getMessage());
            return Cdc.NOT_BUILT;
        }
    }
}
