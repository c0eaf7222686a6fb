package dev.cdc.flink.sink;

import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.flink.job.ApiRecord;
import dev.cdc.flink.job.DeadLetterRecord;
import dev.cdc.common.fault.BatchBisection;
import dev.cdc.common.fault.TransientRetry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches records per endpoint and posts them on a few sender threads, at most {@code max-in-flight} requests at
 * once (past that, {@link #write} waits: backpressure, never a drop).
 *
 * <ul>
 *   <li>Order: records with the same ordering key (one order's enriched versions) never travel in two requests at
 *       once, so the API receives them in the order the job made them; a pending version not yet sent is replaced
 *       by a newer one (only the newest matters to the API).</li>
 *   <li>Faults follow the core's policy ({@link TransientRetry}, {@link BatchBisection}, classified by
 *       {@link ApiClient#FAULTS}). Transient ones (5xx, 408, 429, timeouts, refused connections) are retried with
 *       exponential backoff and jitter behind a circuit breaker for as long as they last: the request stays in flight,
 *       so {@link #flush} waits, no checkpoint completes and the source acknowledges nothing. Never a dead letter.</li>
 *   <li>A batch the API refuses as bad (another 4xx) is split until each bad record is alone; it becomes a dead
 *       letter ({@code UNDELIVERABLE}), as does a record the API answers {@code invalid}; the rest is delivered.</li>
 *   <li>A wrong token or URL fails the job with that reason: nothing is acknowledged, nothing is lost.</li>
 *   <li>{@link #flush} (called before each checkpoint barrier) returns only when everything written was accepted,
 *       so a completed checkpoint means delivered.</li>
 * </ul>
 */
final class RestSinkWriter implements SinkWriter<ApiRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(RestSinkWriter.class);

    private final RestSinkSettings settings;
    private final ApiClient client;
    private final DeadLetterChannel deadLetters;
    private final String consumerId;
    private final ProcessingTimeService time;
    private final TransientRetry retry;
    private final ExecutorService senders;
    private final DeliveryCounts counts;
    private final Counter delivered;
    private final Counter undeliverable;

    /** Per kind, records not yet sent, by ordering key (mailbox thread only). */
    private final Map<String, LinkedHashMap<String, ApiRecord>> pending = new LinkedHashMap<>();
    /** Ordering keys (kind + key) of records under way. */
    private final Set<String> inFlightKeys = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition requestDone = lock.newCondition();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private boolean lingerTimerSet;

    RestSinkWriter(RestSinkSettings settings, ApiClient client, DeadLetterChannel deadLetters, String consumerId,
                   ProcessingTimeService time, SinkWriterMetricGroup metrics) {
        this.settings = settings;
        this.client = client;
        this.deadLetters = deadLetters;
        this.consumerId = consumerId;
        this.time = time;
        for (String kind : ApiRecord.KINDS) {
            pending.put(kind, new LinkedHashMap<>());
        }
        // named by host and port only: a URL could carry credentials
        String at = settings.url().getHost() + (settings.url().getPort() < 0 ? "" : ":" + settings.url().getPort());
        this.counts = DeliveryCounts.register(metrics);
        this.retry = new TransientRetry("REST API at " + at, settings.retry(), ApiClient.FAULTS);
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(settings.maxInFlight(), r -> {
            Thread t = new Thread(r, "rest-sink-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.delivered = metrics.getNumRecordsSendCounter();
        this.undeliverable = metrics.counter("undeliverableRecords");
        metrics.gauge("requestsInFlight", inFlight::get);
        metrics.gauge("requestsWaitingForApi", retry::waiting);
        metrics.gauge("circuitState", () -> retry.circuitState().name());
        counts.circuit(() -> retry.circuitState() != CircuitBreaker.State.CLOSED);
    }

    @Override
    public void write(ApiRecord record, Context context) throws IOException, InterruptedException {
        checkFailure();
        LinkedHashMap<String, ApiRecord> waiting = pending.get(record.kind);
        if (waiting == null) {
            throw new IllegalArgumentException("no REST endpoint for records of kind " + record.kind);
        }
        waiting.put(record.orderingKey, record);
        if (waiting.size() >= settings.batchSize()) {
            send(record.kind, true);
        }
        if (!lingerTimerSet) {
            lingerTimerSet = true;
            time.registerTimer(time.getCurrentProcessingTime() + settings.linger().toMillis(), t -> onLinger());
        }
    }

    private void onLinger() throws IOException, InterruptedException {
        lingerTimerSet = false;
        for (String kind : ApiRecord.KINDS) {
            send(kind, false);
        }
        if (pending.values().stream().anyMatch(m -> !m.isEmpty())) {
            lingerTimerSet = true; // some wait for their key's request: look again soon
            time.registerTimer(time.getCurrentProcessingTime() + settings.linger().toMillis(), t -> onLinger());
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        while (true) {
            checkFailure();
            for (String kind : ApiRecord.KINDS) {
                send(kind, false);
            }
            if (inFlight.get() == 0 && pending.values().stream().allMatch(Map::isEmpty)) {
                checkFailure();
                return;
            }
            awaitRequestDone();
        }
    }

    /** Sends what can go now: full batches only, or everything sendable when {@code fullOnly} is false. */
    private void send(String kind, boolean fullOnly) throws IOException, InterruptedException {
        LinkedHashMap<String, ApiRecord> waiting = pending.get(kind);
        while (!waiting.isEmpty() && (!fullOnly || waiting.size() >= settings.batchSize())) {
            List<ApiRecord> batch = new ArrayList<>(Math.min(waiting.size(), settings.batchSize()));
            for (Iterator<ApiRecord> it = waiting.values().iterator(); it.hasNext() && batch.size() < settings.batchSize(); ) {
                ApiRecord r = it.next();
                if (inFlightKeys.add(kind + '\u0000' + r.orderingKey)) {
                    batch.add(r);
                    it.remove();
                }
            }
            if (batch.isEmpty()) {
                return; // all that waits has an earlier version under way
            }
            while (inFlight.get() >= settings.maxInFlight()) {
                checkFailure();
                awaitRequestDone();
            }
            inFlight.incrementAndGet();
            counts.requests.inc();
            senders.execute(() -> deliver(kind, batch));
            if (batch.size() < settings.batchSize()) {
                return;
            }
        }
    }

    /** On a sender thread: posts one batch to the end, whatever happens, and frees its slot and keys. */
    private void deliver(String kind, List<ApiRecord> batch) {
        try {
            post(kind, batch);
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        } finally {
            for (ApiRecord r : batch) {
                inFlightKeys.remove(kind + '\u0000' + r.orderingKey);
            }
            inFlight.decrementAndGet();
            lock.lock();
            try {
                requestDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Posts a batch, waiting out transient faults; refused records become dead letters, the rest is counted. */
    private void post(String kind, List<ApiRecord> batch) throws Exception {
        BatchBisection.Outcome<ApiRecord, List<ApiClient.Outcome>> sent = BatchBisection.apply(batch,
                part -> retry.call(() -> client.post(kind, part), (n, wait, fault) -> counts.retried(kind)),
                ApiClient.FAULTS);
        List<DeadLetterRecord> letters = new ArrayList<>();
        for (BatchBisection.Refused<ApiRecord> refused : sent.refused()) {
            letters.add(deadLetter(refused.record(), "the REST API refused the record: " + refused.reason().getMessage()));
        }
        for (List<ApiClient.Outcome> outcomes : sent.accepted()) {
            count(kind, outcomes, letters);
        }
        if (!letters.isEmpty()) {
            deadLetters.send(letters);
            undeliverable.inc(letters.size());
            counts.refused(kind, letters);
            LOG.error("{} {} record(s) sent to the DLQ, the first because {}", letters.size(), kind,
                    letters.get(0).errorMessage);
        }
    }

    /** Counts what the API stored; a record it answered {@code invalid} joins {@code letters}. */
    private void count(String kind, List<ApiClient.Outcome> outcomes, List<DeadLetterRecord> letters) {
        long now = System.currentTimeMillis();
        int invalid = 0;
        for (ApiClient.Outcome o : outcomes) {
            if (!o.accepted()) {
                invalid++;
                letters.add(deadLetter(o.record(), "the REST API answered " + o.status() + ": " + o.reason()));
                continue;
            }
            if ("duplicate".equals(o.status())) {
                counts.duplicates.inc();
            }
            switch (kind) {
                case ApiRecord.CHANGE -> {
                    counts.changes.inc();
                    if ("duplicate".equals(o.status())) {
                        counts.lateChanges.inc(); // a re-send (F10): its age is the re-send's, not the pipeline's
                    } else if (o.record().latencyMeasured) {
                        counts.latency(now - o.record().sourceTsMs);
                    }
                }
                case ApiRecord.ENRICHED_ORDER -> counts.enrichedOrders.inc();
                default -> counts.alerts.inc();
            }
        }
        delivered.inc(outcomes.size() - invalid);
        LOG.debug("{}: {} records accepted, {} invalid", kind, outcomes.size() - invalid, invalid);
    }

    private DeadLetterRecord deadLetter(ApiRecord r, String reason) {
        String topic = r.topic != null ? r.topic : "cdc/flink/" + r.kind;
        Map<String, String> properties = Map.of("cdc_api_kind", r.kind, "cdc_api_id", r.id);
        return DeadLetterRecord.of(new BrokerMessage(topic, properties, r.json), ErrorType.UNDELIVERABLE, reason,
                consumerId);
    }

    private void awaitRequestDone() throws InterruptedException {
        lock.lock();
        try {
            requestDone.await(50, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    private void checkFailure() throws IOException {
        Throwable e = failure.get();
        if (e != null) {
            throw new IOException("REST sink failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws Exception {
        counts.closed();
        retry.stop(); // a request waiting out an outage ends now; nothing of it was acknowledged
        senders.shutdownNow();
        senders.awaitTermination(10, TimeUnit.SECONDS);
        deadLetters.close();
    }
}
