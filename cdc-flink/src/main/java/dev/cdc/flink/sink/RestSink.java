package dev.cdc.flink.sink;

import dev.cdc.flink.job.ApiRecord;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Delivers change records, enriched orders and alerts to the REST API target (Flink's Sink V2). A checkpoint
 * completes only after every record before its barrier was accepted (the writer's {@code flush} waits), so the
 * source acknowledges nothing the API has not got; see {@link RestSinkWriter} for batching, ordering and retries.
 */
public final class RestSink implements Sink<ApiRecord> {

    private static final long serialVersionUID = 1L;
    private final RestSinkSettings settings;
    private final Map<String, String> config;
    private final String consumerId;

    /** @param config the job's configuration (its broker settings carry the dead letters) */
    public RestSink(RestSinkSettings settings, Map<String, String> config, String consumerId) {
        this.settings = settings;
        this.config = Map.copyOf(config);
        this.consumerId = consumerId;
    }

    @Override
    public SinkWriter<ApiRecord> createWriter(WriterInitContext context) {
        return new RestSinkWriter(settings, new ApiClient(settings.url(), settings.token(), settings.requestTimeout()),
                DeadLetterChannel.forSubtask(config, "rest", context.getTaskInfo().getIndexOfThisSubtask()), consumerId, context.getProcessingTimeService(), context.metricGroup());
    }
}
