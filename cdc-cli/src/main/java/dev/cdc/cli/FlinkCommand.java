package dev.cdc.cli;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "flink", mixinStandardHelpOptions = false,
        description = {"Runs the Flink job (Architecture B) against the configured endpoints until Ctrl-C.",
            "A local mini-cluster with its web UI on 127.0.0.1:8081; Ctrl-C stops it with a savepoint the next"
                + " start resumes from. Options: --config FILE, --set KEY=VALUE (repeatable), --progress human|json,"
                + " --progress-interval 5s; './cdc flink --help' lists them (the job runs in its own JVM)."})
final class FlinkCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try {
            return ConsumerProcess.FLINK.runInForeground(ConfigOption.home(), args);
        } catch (ConsumerProcess.NotBuilt e) {
            spec.commandLine().getErr().println("cdc flink: " + e.getMessage());
            return Cdc.NOT_BUILT;
        }
    }
}
