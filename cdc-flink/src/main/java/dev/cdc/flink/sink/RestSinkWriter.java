package dev.cdc.flink.sink;

import dev.cdc.common.dlq.DeadLetter.ErrorType;
import dev.cdc.common.event.BrokerMessage;
import dev.cdc.flink.job.ApiRecord;
import dev.cdc.flink.job.DeadLetterRecord;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
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
 *   <li>Transient faults (5xx, 429, timeouts, refused connections) are retried with exponential backoff and jitter
 *       behind a circuit breaker; after the maximum attempts the records become dead letters (UNDELIVERABLE).</li>
 *   <li>A batch the API refuses as such (400, 413) is split until the bad record is alone; it becomes a dead letter,
 *       as does a record the API answers {@code invalid}.</li>
 *   <li>A wrong token or URL fails the job with that reason: nothing is acknowledged, nothing is lost.</li>
 *   <li>{@link #flush} (called before each checkpoint barrier) returns only when everything written was accepted,
 *       so a completed checkpoint means delivered.</li>
 * </ul>
 */
final class RestSinkWriter implements SinkWriter<ApiRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(RestSinkWriter.class);
    private static final List<String> KINDS = List.of(ApiRecord.CHANGE, ApiRecord.ENRICHED_ORDER, ApiRecord.ALERT);

    private final RestSinkSettings settings;
    private final ApiClient client;
    private final DeadLetterChannel deadLetters;
    private final String consumerId;
    private final ProcessingTimeService time;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final ExecutorService senders;
    private final DeliveryProgress progress = DeliveryProgress.jvm();
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
        for (String kind : KINDS) {
            pending.put(kind, new LinkedHashMap<>());
        }
        this.breaker = CircuitBreaker.of("rest-api", CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.circuitFailureRate())
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .waitDurationInOpenState(settings.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(e -> e instanceof ApiClient.TransientDeliveryException)
                .build());
        this.retry = Retry.of("rest-api", RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.retryInitial().toMillis(), 2.0, 0.5,
                        settings.retryMax().toMillis()))
                .retryOnException(e -> e instanceof ApiClient.TransientDeliveryException || e instanceof CallNotPermittedException)
                .build());
        retry.getEventPublisher().onRetry(e -> {
            progress.retries.increment();
            LOG.warn("REST API did not accept a batch ({}); attempt {} of {} in {} ms", e.getLastThrowable().getMessage(),
                    e.getNumberOfRetryAttempts() + 1, settings.maxAttempts(), e.getWaitInterval().toMillis());
        });
        breaker.getEventPublisher().onStateTransition(e -> LOG.warn("REST API circuit {}", e.getStateTransition()));
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(settings.maxInFlight(), r -> {
            Thread t = new Thread(r, "rest-sink-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.delivered = metrics.getNumRecordsSendCounter();
        this.undeliverable = metrics.counter("undeliverableRecords");
        metrics.gauge("requestsInFlight", inFlight::get);
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
        for (String kind : KINDS) {
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
            for (String kind : KINDS) {
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
            progress.requests.increment();
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

    private void post(String kind, List<ApiRecord> batch) throws Exception {
        List<ApiClient.Outcome> outcomes;
        try {
            outcomes = retry.executeCallable(() -> breaker.executeCallable(() -> client.post(kind, batch)));
        } catch (ApiClient.RejectedBatchException e) {
            if (batch.size() == 1) {
                deadLetters(batch, "the REST API refused the record: " + e.getMessage());
                return;
            }
            int half = batch.size() / 2;
            post(kind, batch.subList(0, half));
            post(kind, batch.subList(half, batch.size()));
            return;
        } catch (ApiClient.TransientDeliveryException | CallNotPermittedException e) {
            deadLetters(batch, "not accepted by the REST API after " + settings.maxAttempts() + " attempts: " + e.getMessage());
            return;
        }
        long now = System.currentTimeMillis();
        List<ApiRecord> invalid = new ArrayList<>();
        for (ApiClient.Outcome o : outcomes) {
            if (!o.accepted()) {
                invalid.add(o.record());
                LOG.warn("REST API answered {} for {} {}: {}", o.status(), kind, o.record().id, o.reason());
                continue;
            }
            if ("duplicate".equals(o.status())) {
                progress.duplicates.increment();
            }
            switch (kind) {
                case ApiRecord.CHANGE -> {
                    progress.changes.increment();
                    if (o.record().latencyMeasured) {
                        progress.latency(now - o.record().sourceTsMs);
                    }
                }
                case ApiRecord.ENRICHED_ORDER -> progress.enrichedOrders.increment();
                default -> progress.alerts.increment();
            }
        }
        delivered.inc(outcomes.size() - invalid.size());
        LOG.debug("{}: {} records accepted, {} invalid", kind, outcomes.size() - invalid.size(), invalid.size());
        if (!invalid.isEmpty()) {
            deadLetters(invalid, "the REST API answered invalid");
        }
    }

    private void deadLetters(List<ApiRecord> records, String reason) throws Exception {
        List<DeadLetterRecord> letters = new ArrayList<>(records.size());
        for (ApiRecord r : records) {
            String topic = r.topic != null ? r.topic : "cdc/flink/" + r.kind;
            Map<String, String> properties = Map.of("cdc_api_kind", r.kind, "cdc_api_id", r.id);
            letters.add(DeadLetterRecord.of(new BrokerMessage(topic, properties, r.json),
                    ErrorType.UNDELIVERABLE, reason, consumerId));
        }
        deadLetters.send(letters);
        undeliverable.inc(letters.size());
        for (int i = 0; i < letters.size(); i++) {
            progress.deadLetter();
        }
        LOG.error("{} {} record(s) sent to the DLQ: {}", letters.size(), records.get(0).kind, reason);
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
        senders.shutdownNow();
        senders.awaitTermination(10, TimeUnit.SECONDS);
        deadLetters.close();
    }
}
