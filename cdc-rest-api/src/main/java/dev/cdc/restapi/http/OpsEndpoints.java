package dev.cdc.restapi.http;

import dev.cdc.restapi.store.ReceivedStore;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

/** Health, Prometheus metrics, the OpenAPI description and its Swagger UI page. Internal. */
final class OpsEndpoints {

    private static final String OPENAPI = "/dev/cdc/restapi/openapi.yaml";
    private static final String DOCS = "/dev/cdc/restapi/docs.html";
    private static final String SWAGGER_UI_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private final ReceivedStore store;
    private final WriteGate gate;
    private final ApiMetrics metrics;
    private final byte[] openApi;
    private final byte[] docs;

    OpsEndpoints(ReceivedStore store, WriteGate gate, ApiMetrics metrics) {
        this.store = store;
        this.gate = gate;
        this.metrics = metrics;
        this.openApi = resource(OPENAPI).getBytes(StandardCharsets.UTF_8);
        // the page names the webjar's versioned path, so it follows the version the build brings
        this.docs = resource(DOCS).replace("{{swagger-ui-version}}", swaggerUiVersion()).getBytes(StandardCharsets.UTF_8);
    }

    void register(JavalinDefaultRouting r) {
        r.get("/health", this::health);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));
        r.get("/docs", ctx -> ctx.contentType("text/html; charset=utf-8").result(docs));
    }

    private void health(Context ctx) {
        Optional<String> problem = gate.closing() ? Optional.of("shutting down") : store.problem();
        Json.send(ctx, problem.isEmpty() ? 200 : 503, g -> {
            g.writeStartObject();
            g.writeStringField("status", problem.isEmpty() ? "UP" : "DOWN");
            if (problem.isPresent()) {
                g.writeStringField("reason", problem.get());
            }
            g.writeEndObject();
        });
    }

    private static String resource(String name) {
        try (InputStream in = OpsEndpoints.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath: the cdc-rest-api jar is incomplete");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }

    private static String swaggerUiVersion() {
        Properties pom = new Properties();
        try (InputStream in = OpsEndpoints.class.getResourceAsStream(SWAGGER_UI_POM)) {
            if (in == null) {
                throw new IllegalStateException("the org.webjars:swagger-ui jar is not on the classpath; /docs needs it");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + SWAGGER_UI_POM, e);
        }
        return pom.getProperty("version");
    }
}
