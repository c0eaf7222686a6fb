package dev.cdc.cli;

import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.provisioning.QueueSpec;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.PostgresSettings;
import dev.cdc.common.config.Setting;
import dev.cdc.infra.ArtemisSubscriptions;
import dev.cdc.infra.EmbeddedBroker;
import dev.cdc.infra.EmbeddedPostgres;
import dev.cdc.infra.InfraSettings;
import dev.cdc.infra.InfraState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "infra", mixinStandardHelpOptions = true,
        description = {"Starts the embedded broker and PostgreSQL until Ctrl-C or ./cdc stop.",
            "The broker is Artemis with Solace semantics over AMQP 1.0; the queues are provisioned and the"
                + " endpoints printed."})
final class InfraCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Option(names = "--no-postgres", description = "start the broker only")
    boolean noPostgres;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Configuration c = config.load();
        List<Setting<?>> settings = new ArrayList<>(BrokerSettings.all(c));
        settings.addAll(InfraSettings.ALL);
        settings.addAll(PostgresSettings.ALL);
        c.validate(settings, List.of("broker", "queues", "infra", "postgres"));
        List<QueueSpec> queues = BrokerSettings.queues(c);
        Path dataDir = InfraSettings.dataDir(c, ConfigOption.home());

        Optional<InfraState> previous = InfraState.read(dataDir);
        if (previous.isPresent() && previous.get().alive()) {
            err.println("cdc infra: already running (pid " + previous.get().pid() + "); ./cdc stop first");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedBroker broker = EmbeddedBroker.start(c.get(BrokerSettings.HOST), c.get(BrokerSettings.PORT),
                dataDir.resolve("broker"), (long) c.get(InfraSettings.BROKER_GLOBAL_MAX_MB) << 20);
        EmbeddedPostgres postgres = null;
        try {
            for (QueueSpec q : queues) {
                broker.provision(q);
            }
            if (!noPostgres && !PostgresSettings.external(c)) {
                postgres = EmbeddedPostgres.start(c.get(PostgresSettings.HOST), c.get(PostgresSettings.PORT),
                        dataDir.resolve("postgres"), dataDir.resolve("postgres-work"));
                postgres.ensureDatabase(c.get(PostgresSettings.DB), c.get(PostgresSettings.USER), c.get(PostgresSettings.PASSWORD));
            }
        } catch (Exception e) {
            close(postgres, broker, err);
            throw e;
        }
        List<String> dirs = new ArrayList<>(List.of(dataDir.resolve("broker").toString()));
        if (postgres != null) {
            dirs.add(dataDir.resolve("postgres").toString());
            dirs.add(dataDir.resolve("postgres-work").toString());
        }
        String brokerEndpoint = "amqp://" + broker.host() + ":" + broker.port();
        String postgresEndpoint = postgres == null ? null : PostgresSettings.jdbcUrl(c);
        new InfraState(InfraState.VERSION, ProcessHandle.current().pid(), Instant.now().toString(), brokerEndpoint,
                postgresEndpoint, dirs).write(dataDir);

        out.println("broker    " + brokerEndpoint + "  (AMQP 1.0; data in " + dataDir.resolve("broker") + ")");
        for (QueueSpec q : queues) {
            out.println("  queue   " + q.name() + " <- " + String.join(", ", q.subscriptions().stream().map(Object::toString).toList()) + "  (consume as "
                    + ArtemisSubscriptions.consumerAddress(q) + "; dead messages to " + q.deadMessageQueue()
                    + " after " + q.maxDeliveryAttempts() + " attempts)");
        }
        if (postgres == null && PostgresSettings.external(c)) {
            out.println("postgres  external: " + PostgresSettings.jdbcUrl(c) + " (postgres.url; not started here)");
        }
        if (postgres != null) {
            out.println("postgres  " + postgresEndpoint + "  user " + c.get(PostgresSettings.USER)
                    + ", password from $POSTGRES_PASSWORD or the config file  (data in " + dataDir.resolve("postgres") + ")");
        }
        dev.cdc.common.metrics.MetricsServer metrics = null;
        try {
            dev.cdc.infra.BrokerMetrics queueFigures = new dev.cdc.infra.BrokerMetrics(broker, queues);
            // the ODS's database too, embedded here or external (postgres.url); not with --no-postgres
            dev.cdc.infra.PostgresMetrics databaseFigures = noPostgres ? null : new dev.cdc.infra.PostgresMetrics(
                    PostgresSettings.jdbcUrl(c), c.get(PostgresSettings.USER), c.get(PostgresSettings.PASSWORD));
            metrics = dev.cdc.common.metrics.MetricsServer.start(c.get(InfraSettings.METRICS_HOST),
                    c.get(InfraSettings.METRICS_PORT), () -> databaseFigures == null ? queueFigures.scrape()
                            : queueFigures.scrape() + databaseFigures.scrape());
            out.println("metrics   " + metrics.url() + "  (the queues: depth, bytes against the quota, consumers,"
                    + " enqueued, acknowledged, dead" + (databaseFigures == null ? "" : "; PostgreSQL: up, size,"
                    + " connections by state, commits, rollbacks, deadlocks") + ")");
        } catch (java.io.IOException e) {
            err.println("cdc infra: no metrics endpoint: " + e.getMessage() + " (infra.metrics-port)");
        }
        out.println("ready; Ctrl-C or ./cdc stop to stop");
        out.flush();

        EmbeddedPostgres pg = postgres;
        dev.cdc.common.metrics.MetricsServer served = metrics;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (served != null) {
                served.close();
            }
            close(pg, broker, err);
            try {
                java.nio.file.Files.deleteIfExists(InfraState.file(dataDir));
            } catch (java.io.IOException e) {
                err.println("cdc infra: could not remove " + InfraState.file(dataDir) + ": " + e.getMessage());
            }
            err.println("cdc infra: stopped");
            err.flush();
            stopped.countDown();
        }, "infra-stop"));
        // a dead-letter queue past 80% of its quota is an alert (it pages to disk, never stalls a publisher)
        do {
            for (QueueSpec q : queues) {
                var usage = q.whenFull() == QueueSpec.WhenFull.PAGE ? broker.usage(q.name()) : null;
                if (usage != null && usage.alert() != null) {
                    err.println("cdc infra: " + usage.alert());
                    err.flush();
                }
            }
        } while (!stopped.await(1, java.util.concurrent.TimeUnit.MINUTES));
        return 0;
    }

    private static void close(EmbeddedPostgres postgres, EmbeddedBroker broker, PrintWriter err) {
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            err.println("cdc infra: stopping PostgreSQL failed: " + e.getMessage());
        }
        try {
            broker.close();
        } catch (Exception e) {
            err.println("cdc infra: stopping the broker failed: " + e.getMessage());
        }
    }
}
