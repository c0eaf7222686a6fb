package dev.cdc.cli;

import dev.cdc.common.config.Configuration;
import dev.cdc.infra.DataDirectory;
import dev.cdc.infra.InfraSettings;
import dev.cdc.infra.InfraState;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stops what ./cdc infra (or demo) left running; --clean also removes their data.")
final class StopCommand implements Callable<Integer> {

    /** The infra process closes the broker and PostgreSQL cleanly on SIGTERM; this is how long it may take. */
    private static final long GRACE_SECONDS = 60;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Option(names = "--clean", description = "also remove the data they wrote")
    boolean clean;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Configuration c = config.load();
        c.validate(InfraSettings.ALL, List.of("infra"));
        Path dataDir = InfraSettings.dataDir(c, ConfigOption.home());
        Optional<InfraState> state = InfraState.read(dataDir);
        if (state.isPresent() && state.get().alive()) {
            ProcessHandle process = ProcessHandle.of(state.get().pid()).orElseThrow();
            out.println("stopping infra (pid " + process.pid() + ")");
            out.flush();
            process.destroy();
            try {
                process.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                out.println("infra did not stop within " + GRACE_SECONDS + " s; killing it");
                process.destroyForcibly();
                process.onExit().get(10, TimeUnit.SECONDS);
            }
            out.println("stopped");
        } else {
            out.println("nothing running");
        }
        Files.deleteIfExists(InfraState.file(dataDir));
        if (clean) {
            List<Path> dirs = state.map(s -> s.dataDirs().stream().map(Path::of).toList())
                    .orElse(List.of(dataDir.resolve("broker"), dataDir.resolve("postgres"), dataDir.resolve("postgres-work")));
            for (Path dir : dirs) {
                // only ever inside the configured data directory
                if (dir.toAbsolutePath().normalize().startsWith(dataDir) && Files.exists(dir)) {
                    DataDirectory.delete(dir);
                    out.println("removed " + dir);
                }
            }
        }
        return 0;
    }
}
