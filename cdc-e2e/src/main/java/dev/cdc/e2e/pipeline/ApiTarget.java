package dev.cdc.e2e.pipeline;

import dev.cdc.broker.BrokerException;
import dev.cdc.broker.BrokerSettings;
import dev.cdc.broker.amqp.AmqpMessageBus;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.dlq.DeadLetter;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.truth.SourceTruth;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.restapi.RestApiOptions;
import dev.cdc.restapi.RestApiServer;
import dev.cdc.restapi.RestApiSettings;
import dev.cdc.restapi.client.ReceivedReader;
import dev.cdc.restapi.verify.DeliveryReport;
import dev.cdc.restapi.verify.DeliveryVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Architecture B's target: the REST API service in this process on the configured port, with a token made for this
 * run only, its store under the run's directory. Faults can be injected through its {@code /admin/faults} (scenarios
 * F5 and F9). The dead letters it checks are on the broker's dead-letter topics' queue: the Flink job has no store of
 * its own. A bad message delivered twice (F10 re-sends one) is dead-lettered at each delivery, where the ODS keeps
 * one: the check counts such a repeat once.
 */
public final class ApiTarget implements Target {

    private final Configuration config;
    private final RestApiServer api;
    private final String token;

    private ApiTarget(Configuration config, RestApiServer api, String token) {
        this.config = config;
        this.api = api;
        this.token = token;
    }

    static ApiTarget start(Configuration c, Path dir) throws Exception {
        String token = HexFormat.of().formatHex(SecureRandom.getInstanceStrong().generateSeed(16)); // this run's only
        RestApiServer api = RestApiServer.start(RestApiOptions.defaults(token, dir.resolve("rest-api"))
                .withHost(c.get(RestApiSettings.HOST)).withPort(c.get(RestApiSettings.PORT)));
        return new ApiTarget(c, api, token);
    }

    @Override
    public Map<String, String> consumerSettings() {
        return Map.of("sink.rest.url", api.baseUrl());
    }

    @Override
    public Map<String, String> consumerEnvironment() {
        return Map.of("REST_API_TOKEN", token);
    }

    @Override
    public String describe() {
        return "REST API " + api.baseUrl() + "/docs";
    }

    /** The API's address. */
    public String url() {
        return api.baseUrl();
    }

    /** What the API received. */
    public ReceivedReader received() {
        return new ReceivedReader(api.baseUrl());
    }

    /**
     * Sets the API's injected faults ({@code PUT /admin/faults}): the share of writes answered 503, and a latency
     * added to the given share of writes. Zeros heal it.
     */
    public void faults(double unavailableRatio, long latencyMs, double latencyRatio) throws IOException, InterruptedException {
        String body = String.format(Locale.ROOT, "{\"unavailable_ratio\": %s, \"latency_ms\": %d, \"latency_ratio\": %s}",
                unavailableRatio, latencyMs, latencyRatio);
        HttpRequest put = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/admin/faults"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("PUT /admin/faults answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Dead letters of the consumer's that repeat an earlier one: the same message, error and consumer. */
    private static long repeatedDeadLetters(PipelineRun run) throws BrokerException {
        String queue = run.deadLetterQueueAddress();
        if (queue == null) {
            return 0;
        }
        Set<List<String>> seen = new HashSet<>();
        long repeated = 0;
        try (AmqpMessageBus bus = AmqpMessageBus.connect(BrokerSettings.endpoint(run.config()))) {
            for (BrokerMessage m : bus.browse(queue, Integer.MAX_VALUE).first()) {
                String consumer = m.property(DeadLetter.PROPERTY_CONSUMER);
                String scn = m.property(MessageProperties.SCN);
                if (consumer != null && scn != null && !seen.add(Arrays.asList(consumer, scn,
                        m.property(DeadLetter.PROPERTY_ORIGINAL_TOPIC), m.property(MessageProperties.KEY),
                        m.property(DeadLetter.PROPERTY_ERROR_TYPE)))) {
                    repeated++;
                }
            }
        }
        return repeated;
    }

    /**
     * An empty change queue means the last checkpoint completed, and a checkpoint completes after delivery, so this
     * is called once the queue is drained.
     */
    @Override
    public TruthVerdict verify(PipelineRun run, SourceTruth truth, long foreignDeadLetters, long moreDeadLetters)
            throws Exception {
        DeliveryReport report = new DeliveryVerifier(received(), XmlExtractions.load(config)).verify(truth);
        StringWriter text = new StringWriter();
        report.render(new PrintWriter(text, true));
        long deadLetters = run.deadLetterTopicDepth() - foreignDeadLetters - repeatedDeadLetters(run);
        long expected = truth.deadLetters().size() + moreDeadLetters;
        String problems = report.sections().stream().filter(s -> !s.matches())
                .map(s -> s.name() + " " + s.problemCount()).collect(Collectors.joining(", "));
        String summary = String.format(Locale.ROOT, "%s; DLQ %d of %d",
                problems.isEmpty() ? "0 missing, 0 extra, 0 different" : "problems: " + problems, deadLetters, expected);
        return new TruthVerdict(report.matches(), deadLetters, expected, summary, text.toString());
    }

    @Override
    public void close() {
        api.close();
    }
}
