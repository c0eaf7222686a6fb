package dev.cdc.cli.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cdc.common.config.Configuration;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.e2e.pipeline.ConsumerProcess;
import dev.cdc.e2e.pipeline.PipelineRun;
import dev.cdc.generator.GeneratorConfig;
import dev.cdc.generator.Rate;
import dev.cdc.generator.Scenario;
import dev.cdc.ods.OdsDatabase;
import dev.cdc.ods.OdsSettings;
import dev.cdc.ods.verify.OdsVerifier;
import dev.cdc.ods.verify.VerificationReport;
import dev.cdc.restapi.verify.DeliveryReport;
import dev.cdc.restapi.verify.DeliveryVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario F1 for both architectures: the consumer's JVM killed with SIGKILL in the middle of a backlog, started
 * again, resumes from its checkpoint; the target ends equal to the truth, nothing lost, nothing doubled.
 */
class ConsumerKillIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ConsumerProcess.class)
    void aConsumerKilledUnderLoadResumesWithoutLossOrDoubling(ConsumerProcess architecture) throws Exception {
        Path home = Path.of("..").toAbsolutePath().normalize(); // the consumer modules this reactor has built
        Path configFile = Files.writeString(dir.resolve("cdc.yaml"), Files.readString(home.resolve("configs/cdc.yaml"))
                .replace("${SOLACE_PORT:5672}", Integer.toString(freePort()))
                .replace("${POSTGRES_PORT:5432}", Integer.toString(freePort()))
                .replace("${REST_API_PORT:8080}", Integer.toString(freePort()))
                .replace("data-dir: data", "data-dir: " + dir.resolve("data"))
                .replace("  ui: true", "  ui: false")
                // small micro-batches, so the kill lands in the middle of the backlog, not after one batch took it all
                .replace("max-events-per-trigger: 20000", "max-events-per-trigger: 500"));
        assertThat(Files.readString(configFile)).contains("max-events-per-trigger: 500");
        Configuration config = Configuration.load(configFile, Map.of());
        GeneratorConfig generator = GeneratorConfig.builder().seed(31).rate(Rate.MAX).events(6_000L)
                .scenarios(Scenario.parseList("all")).snapshotOrders(60).clock(GeneratorConfig.ClockMode.WALL).build();
        Path truthDir = dir.resolve("truth");
        try (PipelineRun run = PipelineRun.start(architecture, config, home, dir.resolve("run"), configFile)) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            run.publish(generator, truthDir, new AtomicLong(), failure).join();
            assertThat(failure.get()).isNull();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> run.progress().events() >= 1_000);

            run.killConsumer();
            assertThat(run.lag()).as("a backlog left for the restarted consumer").isPositive();
            run.restartConsumer();

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> run.lag() == 0);
            SourceTruth truth = SourceTruth.read(truthDir);
            StringWriter text = new StringWriter();
            boolean matches;
            if (architecture == ConsumerProcess.SPARK) {
                try (OdsDatabase ods = run.ods()) {
                    VerificationReport report = new OdsVerifier(ods.dataSource(), OdsSettings.tableMapping(config))
                            .verify(truth);
                    report.render(new PrintWriter(text, true));
                    matches = report.matches();
                }
            } else {
                // an empty queue means the last checkpoint completed, and a checkpoint completes after delivery
                DeliveryReport report = new DeliveryVerifier(run.api(), XmlExtractions.load(config)).verify(truth);
                report.render(new PrintWriter(text, true));
                matches = report.matches();
            }
            assertThat(matches).as(text.toString()).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> run.deadLetterTopicDepth() >= truth.deadLetters().size());
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
