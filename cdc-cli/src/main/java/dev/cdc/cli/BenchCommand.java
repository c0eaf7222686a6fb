package dev.cdc.cli;

import dev.cdc.bench.OdsBenchmark;
import dev.cdc.bench.broker.BrokerBenchmark;
import dev.cdc.bench.broker.BrokerReport;
import dev.cdc.bench.broker.BrokerResult;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.cli.pipeline.PipelineBenchmark;
import dev.cdc.generator.Rate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs the benchmarks and writes their reports: JSON, an HTML page with charts, and a table.",
        subcommands = {BenchCommand.Broker.class, BenchCommand.Ods.class, BenchCommand.Pipeline.class})
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark: broker, ods or pipeline spark");
    }

    @Command(name = "broker", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Measures our AMQP adapter against plain Qpid JMS on the embedded broker, in the same run.",
                "Persistent publish and publish-to-consume of 1 KB messages, msgs/s; passes at 80%% of raw. Exit code"
                    + " 0 when both ratios pass, 1 when not."})
    static final class Broker implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        // the defaults are the benchmark's own (picocli shows a field's initial value as its default)
        @Option(names = "--messages", paramLabel = "N", description = "messages per measurement (default: ${DEFAULT-VALUE})")
        int messages = BrokerBenchmark.Options.defaults().messages();

        @Option(names = "--rounds", paramLabel = "R", description = "rounds; medians are compared (default: ${DEFAULT-VALUE})")
        int rounds = BrokerBenchmark.Options.defaults().rounds();

        @Option(names = "--out", paramLabel = "FILE.json", description = "the JSON report (default: data/bench/broker-<timestamp>.json)")
        Path out;

        /** The benchmark's defaults with what the command line gave, the data under the installation's data/bench. */
        BrokerBenchmark.Options options() {
            BrokerBenchmark.Options options = BrokerBenchmark.Options.defaults()
                    .withMessages(messages).withRounds(rounds)
                    .withDataParent(ConfigOption.home().resolve("data/bench"));
            return out == null ? options : options.withOut(out);
        }

        @Override
        public Integer call() throws Exception {
            BrokerResult result = BrokerBenchmark.run(options());
            spec.commandLine().getOut().print(BrokerReport.table(result));
            spec.commandLine().getOut().flush();
            return result.passed() ? 0 : 1;
        }
    }

    @Command(name = "ods", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Measures the ODS writer against a raw JDBC batched upsert on embedded PostgreSQL, in the same run.",
                "Events/s for the state tables (passes at 70%% of raw), then the cost of XML extraction and of the"
                    + " join recompute per 1,000 events. Exit code 0 when the ratio passes, 1 when not."})
    static final class Ods implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--events", paramLabel = "N", defaultValue = "30000", description = "events per measurement (default: ${DEFAULT-VALUE})")
        int events;

        @Option(names = "--rounds", paramLabel = "R", defaultValue = "3", description = "rounds after a warm-up; medians are compared (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--batch", paramLabel = "B", defaultValue = "500", description = "events per batch (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--out", paramLabel = "FILE.json", description = "the JSON report (default: data/bench/ods-<timestamp>.json)")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (events < 1000 || rounds < 1 || batch < 1) {
                throw new IllegalArgumentException("--events at least 1000, --rounds and --batch at least 1");
            }
            OdsBenchmark.Result result = OdsBenchmark.run(new OdsBenchmark.Options(events, rounds, batch,
                    ConfigOption.home().resolve("data/bench"), out, System.err));
            spec.commandLine().getOut().print(result.table());
            spec.commandLine().getOut().flush();
            return result.passed() ? 0 : 1;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Measures a pipeline end to end on this machine.",
                "Change latency at 5,000 events/min (bar: p99 under 2 s for spark, 500 ms for flink) and the highest"
                    + " rate with bounded lag (bar: 40%% of the raw broker round trip measured in the same run). For figures"
                    + " to compare with DESIGN.md's, run each rate 5 minutes: --step 5m (about half an hour in all). Exit"
                    + " code 0 when both bars are met, 1 when not."})
    static final class Pipeline implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        ConfigOption config;

        @CommandLine.Parameters(index = "0", paramLabel = "ARCH", description = "spark or flink")
        String architecture;

        @Option(names = "--warmup", converter = DurationConverter.class, defaultValue = "30s", description = "default: ${DEFAULT-VALUE}")
        Duration warmup;

        @Option(names = "--latency-run", converter = DurationConverter.class, defaultValue = "2m", description = "default: ${DEFAULT-VALUE}")
        Duration latencyRun;

        @Option(names = "--rates", split = ",", defaultValue = "1000/s,2000/s,3000/s,4000/s,5000/s",
                description = "sustained rates to try, in order (default: ${DEFAULT-VALUE})")
        List<String> rates;

        @Option(names = "--search", paramLabel = "N", defaultValue = "2",
                description = "steps after the --rates to find the highest rate held: down when one was not held, up"
                        + " when all were (default: ${DEFAULT-VALUE})")
        int searchSteps;

        @Option(names = "--step", converter = DurationConverter.class, defaultValue = "5m",
                description = "how long each rate runs (default: ${DEFAULT-VALUE})")
        Duration step;

        @Option(names = "--raw-rounds", defaultValue = "3", description = "rounds of the raw round trip (default: ${DEFAULT-VALUE})")
        int rawRounds;

        @Option(names = "--shares", paramLabel = "TABLE=PCT[,...]",
                description = "the generator's share of change events per table, as for ./cdc generate (default: its own)")
        String shares;

        @Option(names = "--op-mix", paramLabel = "TABLE=I/U/D[,...]",
                description = "the generator's insert/update/delete percentages per table, as for ./cdc generate; "
                        + "e.g. PRODUCTS=100/0/0,CUSTOMERS=100/0/0 measures without the join's fan-out (default: its own)")
        String mixes;

        @Option(names = "--out", paramLabel = "FILE.json", description = "the JSON report (default: data/bench/pipeline/pipeline-ARCH-<timestamp>.json)")
        Path out;

        @Override
        public Integer call() throws Exception {
            ConsumerProcess arch = ConsumerProcess.parse(architecture);
            if (searchSteps < 0) {
                throw new IllegalArgumentException("--search must be 0 or more, was " + searchSteps);
            }
            List<Rate> parsed = rates.stream().map(Rate::parse).toList();
            Path home = ConfigOption.home();
            PipelineBenchmark.Workload workload = new PipelineBenchmark.Workload(
                    shares == null ? Map.of() : GenerateCommand.shares(shares),
                    mixes == null ? Map.of() : GenerateCommand.mixes(mixes));
            PipelineBenchmark.Result result = PipelineBenchmark.run(arch, config.load(), home, config.file,
                    new PipelineBenchmark.Options(warmup, latencyRun, parsed, searchSteps, step, rawRounds, workload,
                            home.resolve("data/bench/pipeline"), out), System.err);
            spec.commandLine().getOut().print(result.table());
            spec.commandLine().getOut().flush();
            return result.passed() ? 0 : 1;
        }
    }
}
