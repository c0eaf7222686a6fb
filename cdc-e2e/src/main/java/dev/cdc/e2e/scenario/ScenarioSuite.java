package dev.cdc.e2e.scenario;

import java.time.Duration;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.infra.DataDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the selected scenarios one after another, each for each selected architecture, in a fresh directory under
 * {@code dir} with free ports; prints progress, then the table, and writes {@code dir/report.json}. The catalogue is
 * in the order they were built and should be read: the basic faults first.
 */
public final class ScenarioSuite {

    /** Every scenario, in the order the suite runs them. */
    public static List<Scenario> catalogue() {
        return List.of(
                ConsumerRestart.killed(),
                ConsumerRestart.stopped(),
                GeneratorScenarios.malformed(),
                new CheckpointRemoved(),
                TargetOutage.database("F4", Duration.ofSeconds(30)),
                TargetOutage.api("F5", Duration.ofSeconds(30)),
                new BrokerRestart(),
                GeneratorScenarios.lateAndOutOfOrder(),
                GeneratorScenarios.schema(),
                GeneratorScenarios.xml(),
                new SameConsumerId(),
                new SlowConsumer(),
                new NetworkCut(),
                new DeadLetterQuota(),
                new SmallHeap(),
                new ForeignEvents(),
                new WorkerKill(),
                TargetOutage.database("F4L", Duration.ofMinutes(3)),
                TargetOutage.api("F5L", Duration.ofMinutes(3)));
    }

    private final Path home;
    private final Path dir;
    private final PrintWriter out;

    public ScenarioSuite(Path home, Path dir, PrintWriter out) {
        this.home = home;
        this.dir = dir;
        this.out = out;
    }

    /** Runs the selection; the report's {@link ScenarioReport#passed()} is the command's exit status. */
    public ScenarioReport run(Selection selection) throws Exception {
        List<Selection.Run> runs = selection.select(catalogue());
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no scenario selected (architectures " + selection.architectures()
                    + ", --only " + selection.only() + ")");
        }
        long started = System.nanoTime();
        List<ScenarioResult> results = new ArrayList<>();
        out.printf(Locale.ROOT, "scenarios: %d runs (%s); data and logs under %s%n", runs.size(),
                String.join(" ", runs.stream().map(r -> r.scenario().id() + "/" + r.architecture().label()).toList()), dir);
        out.flush();
        for (Selection.Run r : runs) {
            ScenarioResult result = runOne(r.scenario(), r.architecture());
            results.add(result);
            out.printf(Locale.ROOT, "scenarios: %s %s %s in %.0f s%s%n", result.id(), result.architecture(),
                    result.passed() ? "PASS" : "FAIL", result.seconds(), result.passed() ? "" : ": " + result.reason());
            out.flush();
        }
        ScenarioReport report = new ScenarioReport(results, (System.nanoTime() - started) / 1e9);
        report.write(dir.resolve("report.json"));
        return report;
    }

    private ScenarioResult runOne(Scenario scenario, ConsumerProcess architecture) {
        Path runDir = dir.resolve(scenario.id() + "-" + architecture.label());
        long started = System.nanoTime();
        out.printf(Locale.ROOT, "scenarios: %s %s: %s (in %s)%n", scenario.id(), architecture.label(), scenario.done(),
                runDir);
        out.flush();
        try {
            DataDirectory.delete(runDir);
            try (ScenarioContext context = new ScenarioContext(scenario.id(), architecture, home, runDir, out)) {
                return scenario.run(context);
            }
        } catch (Exception e) {
            return ScenarioResult.error(scenario.id(), architecture.label(), scenario.done(),
                    "did not run to its end: " + e, (System.nanoTime() - started) / 1e9);
        }
    }
}
