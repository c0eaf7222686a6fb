package dev.cdc.cli;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.scenario.ScenarioReport;
import dev.cdc.e2e.scenario.ScenarioSuite;
import dev.cdc.e2e.scenario.Selection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "scenarios", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the failure and operator scenarios over real processes and checks each against the truth.",
            "Each scenario starts the embedded broker, the target (PostgreSQL for spark, the REST API for flink)"
                + " and the consumer in its own JVM on free ports, publishes a few hundred events/s while the fault"
                + " happens, drains and compares the target with the source truth. Prints a table, writes"
                + " data/scenarios/report.json and exits 0 only if every selected scenario passed. Data and logs under"
                + " data/scenarios (removed first)."})
final class ScenariosCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--arch", paramLabel = "ARCH", description = "spark or flink (default: both)")
    String architecture;

    @Option(names = "--only", paramLabel = "IDS",
            description = "comma-separated scenario ids: F1-F10, O1-O3, S, X, D, C1, F4L, F5L (default: all but the long ones, and F6, F10, S and X, which D runs together)")
    String only;

    @Option(names = "--long", description = "adds the long variants (3-minute outages: F4L, F5L)")
    boolean includeLong;

    @Option(names = "--dir", paramLabel = "DIR", description = "where data, logs and report.json go (default: data/scenarios)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        // the broker's own warnings about the connections a scenario kills on purpose are noise in the progress
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq", "error");
        PrintWriter out = spec.commandLine().getOut();
        Selection selection = Selection.parse(architecture, only, includeLong, ScenarioSuite.catalogue());
        Path home = ConfigOption.home();
        Path target = (dir != null ? dir : home.resolve("data/scenarios")).toAbsolutePath().normalize();
        ScenarioReport report;
        try {
            report = new ScenarioSuite(home, target, out).run(selection);
        } catch (ConsumerProcess.NotBuilt e) {
            spec.commandLine().getErr().println("cdc scenarios: " + e.getMessage());
            return Cdc.NOT_BUILT;
        }
        out.println();
        out.print(report.table());
        out.println("scenarios: report " + target.resolve("report.json"));
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
