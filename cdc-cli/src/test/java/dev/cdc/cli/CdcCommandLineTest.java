package dev.cdc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdc.bench.broker.BrokerBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CdcCommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Cdc.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsEveryCommandOfTheDesign() {
        assertThat(run("--help")).isZero();
        for (String command : List.of("demo", "infra", "generate", "spark", "flink", "api", "verify", "bench", "dlq", "stop")) {
            assertThat(out.toString()).containsPattern("(?m)^\\s+" + command + "\\s");
        }
    }

    /** The command list shows each description's first line alone: it must say what the command does, whole. */
    @Test
    void everyCommandIsListedWithACompleteSentenceAndEveryHelpTextFormats() {
        List<CommandLine> commands = new java.util.ArrayList<>(List.of(Cdc.commandLine()));
        for (int i = 0; i < commands.size(); i++) {
            CommandLine c = commands.get(i);
            commands.addAll(c.getSubcommands().values().stream().filter(s -> !s.getCommandName().equals("help")).toList());
            String[] description = c.getCommandSpec().usageMessage().description();
            assertThat(description).as(c.getCommandSpec().qualifiedName()).isNotEmpty();
            assertThat(description[0]).as(c.getCommandSpec().qualifiedName()).endsWith(".");
            List<String> lines = new java.util.ArrayList<>(List.of(description));
            c.getCommandSpec().options().forEach(o -> lines.addAll(List.of(o.description())));
            for (String line : lines) { // picocli formats each line; an unescaped % prints a warning instead
                String text = line.replace("${DEFAULT-VALUE}", "x").replace("${COMPLETION-CANDIDATES}", "x");
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> String.format(java.util.Locale.ROOT, text)))
                        .as(c.getCommandSpec().qualifiedName() + ": " + line).isNull();
            }
        }
        assertThat(commands).hasSizeGreaterThan(15);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark", "flink"})
    void aConsumerSaysHowToBuildItsModuleWhenItIsMissing(String architecture) {
        assertThat(run(architecture)).isEqualTo(Cdc.NOT_BUILT);
        assertThat(err.toString().lines()).singleElement().asString().contains("cdc-" + architecture + " is not built")
                .contains("./mvnw -pl cdc-" + architecture + " -am package");
    }

    @Test
    void theApiRefusesToStartWithoutATokenNamingTheSetting() {
        assertThat(run("api", "--config", "../configs/cdc.yaml", "--set", "api.token=")).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString()).contains("api.token").contains("REST_API_TOKEN");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void dlqDrainRefusesABadBatchSizeInOneLine() {
        assertThat(run("dlq", "drain", "--batch-size", "0")).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString().lines()).singleElement().asString()
                .isEqualTo("cdc dlq drain: --batch-size must be 1 to 10000, was 0");
    }

    /** The benchmark parses no flags; the command's defaults are its options' defaults, not a copy. */
    @Test
    void benchBrokerTakesItsDefaultsFromTheBenchmark() {
        BrokerBenchmark.Options defaults = BrokerBenchmark.Options.defaults();
        BrokerBenchmark.Options parsed = benchBrokerOptions("bench", "broker");
        assertThat(parsed).isEqualTo(defaults.withDataParent(ConfigOption.home().resolve("data/bench")));

        parsed = benchBrokerOptions("bench", "broker", "--messages", "5000", "--rounds", "3", "--out", "x.json");
        assertThat(parsed.messages()).isEqualTo(5000);
        assertThat(parsed.rounds()).isEqualTo(3);
        assertThat(parsed.out()).isEqualTo(Path.of("x.json"));
        assertThat(parsed.warmupMessages()).as("a warm-up of a full measurement").isEqualTo(5000);

        assertThat(run("bench", "broker", "--help")).isZero();
        assertThat(out.toString()).contains("(default: " + defaults.messages() + ")").contains("(default: " + defaults.rounds() + ")");
    }

    private static BrokerBenchmark.Options benchBrokerOptions(String... args) {
        CommandLine.ParseResult parsed = Cdc.commandLine().parseArgs(args);
        return ((BenchCommand.Broker) parsed.subcommand().subcommand().commandSpec().userObject()).options();
    }

    @Test
    void dlqListsItsSubcommands() {
        assertThat(run("dlq", "--help")).isZero();
        assertThat(out.toString()).contains("drain").contains("replay").contains("list");
    }

    @Test
    void demoNamesTheArchitecturesItKnows() {
        assertThat(run("demo", "storm")).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString()).contains("ARCH must be spark or flink, was storm");
    }

    @Test
    void dlqReplayWantsAChoiceOfDeadLetters() {
        assertThat(run("dlq", "replay")).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString().lines()).singleElement().asString().contains("--id or --type");
    }

    @Test
    void generateWritesMessagesAndTruthAndSummarises() throws IOException {
        Path file = dir.resolve("e.jsonl");
        Path truth = dir.resolve("truth");
        int code = run("generate", "--events", "600", "--rate", "max", "--out", file.toString(), "--truth", truth.toString(), "--quiet");
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readAllLines(file)).hasSize(600);
        assertThat(truth.resolve("manifest.json")).exists();
        assertThat(out.toString()).contains("generated 600 events").contains(file.toString());
    }

    @Test
    void generateWithoutOutPublishesAndSaysClearlyWhenNoBrokerListens() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("cdc.yaml"), "broker:\n  port: " + closedPort + "\n");
        assertThat(run("generate", "--events", "10", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("amqp://127.0.0.1:" + closedPort).contains("is ./cdc infra running?");
    }

    /** Found when two demos ran at once: the second broker shared the first's port. */
    @Test
    void infraOnATakenBrokerPortIsOneLineSayingWhatToSet() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path config = Files.writeString(dir.resolve("cdc.yaml"), "broker:\n  port: " + taken.getLocalPort()
                    + "\ninfra:\n  data-dir: " + dir.resolve("data") + "\n");
            assertThat(run("infra", "--no-postgres", "--config", config.toString())).isEqualTo(1);
            assertThat(err.toString().strip()).startsWith("cdc infra: the broker cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()).contains("SOLACE_PORT").doesNotContain("\tat ");
        }
    }

    @Test
    void aBadConfigurationFileIsOneLineNamingTheKey() throws IOException {
        Path config = Files.writeString(dir.resolve("cdc.yaml"), "broker:\n  port: lots\n  colour: blue\n");
        assertThat(run("generate", "--events", "10", "--config", config.toString())).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString().lines()).singleElement().asString()
                .contains("broker.port: expected an integer in [1, 65535]").contains("broker.colour: unknown setting");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--rate fast --events 10|--rate|N/min, N/s or max",
        "--rate 0/s --events 10|--rate|N > 0",
        "--decimal-mode exact --events 10|--decimal-mode|precise, double or string",
        "--scenario S9 --events 10|--scenario|S1-S6",
        "--tables ORDERS,BOGUS --events 10|--tables|ORDERS, ORDER_ITEMS",
        "--shares ORDERS=x --events 10|--shares|not a number",
        "--op-mix ORDERS=70/20/5 --events 10|--op-mix|adding up to 100",
        "--clock sundial --events 10|--clock|simulated or wall",
        "--events -5|--events|positive",
        "--rate max|--events or --duration|required",
        "--duration 5x|--duration|30s, 5m",
        "--events ten|--events|ten",
        "--bogus|--bogus|Unknown option"})
    void badFlagIsOneClearLineNamingItWithExitTwo(String args, String flag, String accepted) {
        String[] argv = ("generate " + args + " --out " + dir.resolve("x.jsonl")).split(" ");
        assertThat(run(argv)).isEqualTo(Cdc.BAD_INPUT);
        String message = err.toString();
        assertThat(message.lines().findFirst().orElseThrow()).contains(flag).contains(accepted);
        assertThat(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(dir.resolve("x.jsonl")).doesNotExist();
    }

    @Test
    void unwritableOutputPathIsAClearError() throws IOException {
        Path aFile = Files.writeString(dir.resolve("plain-file"), "x");
        int code = run("generate", "--events", "10", "--out", aFile.resolve("sub/e.jsonl").toString());
        assertThat(code).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString()).startsWith("cdc generate: cannot write --out").doesNotContain("\tat ");
    }

    @Test
    void unwritableTruthPathIsAClearError() throws IOException {
        Path aFile = Files.writeString(dir.resolve("plain-file"), "x");
        int code = run("generate", "--events", "10", "--out", dir.resolve("e.jsonl").toString(), "--truth", aFile.toString());
        assertThat(code).isEqualTo(Cdc.BAD_INPUT);
        assertThat(err.toString()).startsWith("cdc generate: cannot write --truth");
    }
}
