package dev.cdc.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.cdc.common.fault.FaultKind;
import dev.cdc.flink.job.ApiRecord;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What each answer of the API means to the fault policy, against a real HTTP server answering that status. */
class ApiClientTest {

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private static final List<ApiRecord> BATCH = List.of(ApiRecord.of(ApiRecord.CHANGE, "e1", "e1",
            "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8), 0, "t"));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = status.get() == 200 ? "{\"results\":[{\"status\":\"stored\"}]}".getBytes(StandardCharsets.UTF_8)
                    : "{\"error\":\"no\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ApiClient client() {
        return new ApiClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "t", Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT", "504, TRANSIENT", "408, TRANSIENT",
            "429, TRANSIENT", "400, INVALID", "409, INVALID", "413, INVALID", "422, INVALID", "401, FATAL",
            "403, FATAL", "404, FATAL", "405, FATAL", "301, FATAL"})
    void eachAnswerHasItsFaultKind(int answer, FaultKind kind) {
        status.set(answer);
        Throwable failure = catchThrowable(() -> client().post(ApiRecord.CHANGE, BATCH));
        assertThat(failure).isNotNull();
        assertThat(ApiClient.FAULTS.classify(failure)).isEqualTo(kind);
    }

    @Test
    void anAcceptedBatchSaysWhatBecameOfEachRecord() throws Exception {
        assertThat(client().post(ApiRecord.CHANGE, BATCH)).singleElement()
                .satisfies(o -> assertThat(o.accepted()).isTrue());
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ApiClient client = new ApiClient(URI.create("http://127.0.0.1:" + closed), "t", Duration.ofSeconds(5));
        assertThat(ApiClient.FAULTS.classify(catchThrowable(() -> client.post(ApiRecord.CHANGE, BATCH))))
                .isEqualTo(FaultKind.TRANSIENT);
    }

    @Test
    void anUnknownHostIsFatal() {
        ApiClient client = new ApiClient(URI.create("http://no-such-host.invalid:8080"), "t", Duration.ofSeconds(5));
        assertThat(ApiClient.FAULTS.classify(catchThrowable(() -> client.post(ApiRecord.CHANGE, BATCH))))
                .isEqualTo(FaultKind.FATAL);
    }
}
