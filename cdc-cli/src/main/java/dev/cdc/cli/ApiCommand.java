package dev.cdc.cli;

import dev.cdc.common.config.Configuration;
import dev.cdc.restapi.RestApiServer;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the REST API target (Architecture B's destination) until Ctrl-C.",
            "It keeps change events, enriched orders and alerts, idempotent by id, across restarts. Writes need"
                + " REST_API_TOKEN as a bearer token. OpenAPI at /openapi.yaml, interactive docs at /docs, /health,"
                + " Prometheus metrics at /metrics."})
final class ApiCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigOption config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides one setting, e.g. --set api.port=9090")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Configuration c = config.load().with(overrides);
        RestApiServer api;
        try {
            api = RestApiServer.start(c, ConfigOption.home());
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("cdc api: " + e.getMessage());
            return Cdc.BAD_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close(); // graceful: writes under way finish, new ones get 503
            stopped.countDown();
        }, "api-stop"));
        out.println("api: listening on " + api.baseUrl() + " (docs " + api.baseUrl() + "/docs), data in " + api.dataDir()
                + "; Ctrl-C to stop");
        out.flush();
        stopped.await();
        return 0;
    }
}
