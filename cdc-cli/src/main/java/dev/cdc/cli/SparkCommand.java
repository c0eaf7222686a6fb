package dev.cdc.cli;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "spark", mixinStandardHelpOptions = false,
        description = {"Runs the Spark consumer (Architecture A) against the configured endpoints until Ctrl-C.",
            "Options: --config FILE, --set KEY=VALUE (repeatable), --progress human|json, --progress-interval 5s;"
                + " './cdc spark --help' lists them (the consumer runs in its own JVM)."})
final class SparkCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try {
            return ConsumerProcess.SPARK.runInForeground(ConfigOption.home(), args);
        } catch (ConsumerProcess.NotBuilt e) {
            spec.commandLine().getErr().println("cdc spark: " + e.getMessage());
            return Cdc.NOT_BUILT;
        }
    }
}
