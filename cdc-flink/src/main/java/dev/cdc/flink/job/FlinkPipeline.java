package dev.cdc.flink.job;

import dev.cdc.broker.BrokerSettings;
import dev.cdc.common.admission.AdmissionSettings;
import dev.cdc.common.alert.AlertRules;
import dev.cdc.common.config.Configuration;
import dev.cdc.common.config.Setting;
import dev.cdc.common.xml.XmlExtractions;
import dev.cdc.flink.sink.RestSinkSettings;
import dev.cdc.flink.source.BrokerSourceSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Architecture B running in this JVM (a local mini-cluster): the job from {@link FlinkJob}, resumed from the newest
 * checkpoint or savepoint under {@code flink.checkpoint-dir}. Closing stops it with a savepoint (nothing in flight
 * is lost: the sink has delivered everything before it, the source acknowledges it).
 */
public final class FlinkPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkPipeline.class);
    private final JobClient job;
    private final String savepointDir;

    private FlinkPipeline(JobClient job, String savepointDir) {
        this.job = job;
        this.savepointDir = savepointDir;
    }

    /** Validates the configuration (every problem at once, naming its key). */
    public static void validate(Configuration config) {
        List<Setting<?>> settings = new ArrayList<>(BrokerSettings.all(config));
        settings.addAll(FlinkSettings.ALL);
        settings.addAll(BrokerSourceSettings.ALL);
        settings.addAll(RestSinkSettings.ALL);
        settings.addAll(XmlExtractions.settings(config));
        settings.addAll(AlertRules.settings(config));
        settings.addAll(AdmissionSettings.settings(config));
        List<String> sections = new ArrayList<>(List.of("broker", "flink", "sink", "xml", "alerts"));
        sections.addAll(AdmissionSettings.SECTIONS);
        config.validate(settings, sections);
        XmlExtractions.load(config);
        AlertRules.load(config);
        AdmissionSettings.from(config);
        RestSinkSettings.from(config);
    }

    public static FlinkPipeline start(Configuration config, Path home) throws Exception {
        validate(config);
        StreamExecutionEnvironment env = FlinkEnvironment.create(config, home);
        FlinkJob.define(env, config);
        return new FlinkPipeline(env.executeAsync("cdc-flink"),
                FlinkEnvironment.savepointDir(config, home).toUri().toString());
    }

    public JobClient job() {
        return job;
    }

    public JobStatus status() throws Exception {
        return job.getJobStatus().get(30, TimeUnit.SECONDS);
    }

    /** Whether the job is still running or restarting (not ended for good). */
    public boolean alive() throws Exception {
        return !status().isGloballyTerminalState();
    }

    /** Stops as a crash would: no savepoint; the retained checkpoints and the broker's redelivery take over. */
    public void cancel() throws Exception {
        job.cancel().get(60, TimeUnit.SECONDS);
    }

    /**
     * Stops with a savepoint; returns its path. The directory is named here: a cluster's JobManager takes the
     * job's {@code execution.checkpointing.savepoint-dir} for checkpoints but not for a stop it is asked for.
     */
    public String stop() throws Exception {
        return job.stopWithSavepoint(false, savepointDir, SavepointFormatType.CANONICAL).get(90, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!alive()) {
            return;
        }
        try {
            LOG.info("stopped with savepoint {}", stop());
        } catch (Exception e) {
            LOG.warn("no savepoint ({}); cancelling: the next start resumes from the last checkpoint", e.getMessage());
            cancel();
        }
    }
}
