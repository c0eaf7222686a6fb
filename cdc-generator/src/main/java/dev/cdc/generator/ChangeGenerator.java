package dev.cdc.generator;

import dev.cdc.common.codec.DebeziumJsonCodec;
import dev.cdc.common.event.ChangeEvent;
import dev.cdc.common.event.MessageProperties;
import dev.cdc.common.truth.ExpectedDeadLetter;
import dev.cdc.generator.source.SalesWorkload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Produces the message stream: the snapshot first, then the chosen scenarios, then random transactions. Pulled one
 * transaction at a time with a budget, so a run that must stop at N messages never starts a change it will not
 * send (the truth then holds exactly what was sent). Not thread-safe.
 */
public final class ChangeGenerator {

    /** How many recent messages the late-duplicates scenario draws from. */
    private static final int RECENT_WINDOW = 2_000;
    private static final int[] TRANSACTION_SIZES = {1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5};

    private final GeneratorConfig config;
    private final SalesWorkload workload;
    private final SplittableRandom random;
    private final Deque<ChangeEvent> snapshot;
    private final Deque<Scenario> scenarios;
    private final boolean duplicates;
    /** The last {@link #RECENT_WINDOW} messages, a ring: drawn from at random without copying. */
    private final Recent[] recent = new Recent[RECENT_WINDOW];
    private int recentCount;
    private int recentNext;
    private final Map<String, Recent> latestByRow = new HashMap<>();
    private long sent;
    private long duplicatesSent;

    public ChangeGenerator(GeneratorConfig config, SourceClock clock) {
        this.config = config;
        this.workload = new SalesWorkload(config, clock);
        this.random = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        this.snapshot = new ArrayDeque<>(workload.snapshot());
        EnumSet<Scenario> played = config.scenarios().isEmpty() ? EnumSet.noneOf(Scenario.class) : EnumSet.copyOf(config.scenarios());
        this.duplicates = played.remove(Scenario.F10);
        this.scenarios = new ArrayDeque<>(played);
    }

    public SalesWorkload workload() {
        return workload;
    }

    public long sent() {
        return sent;
    }

    public long duplicatesSent() {
        return duplicatesSent;
    }

    /**
     * The next messages: a slice of the snapshot, a scenario's transaction, or one random transaction; never more
     * than {@code budget}, never empty.
     */
    public List<GeneratedMessage> next(int budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1");
        }
        List<GeneratedMessage> out = new ArrayList<>();
        if (!snapshot.isEmpty()) {
            while (!snapshot.isEmpty() && out.size() < Math.min(budget, 500)) {
                out.add(message(snapshot.poll()));
            }
        } else {
            List<ChangeEvent> events = null;
            while (events == null && !scenarios.isEmpty()) {
                Scenario scenario = scenarios.poll();
                if (scenario == Scenario.F6) {
                    if (budget >= 3) {
                        malformedJson(out);
                        events = List.of();
                    }
                } else if (SalesWorkload.size(scenario) <= budget) {
                    events = workload.play(scenario);
                    if (events.isEmpty()) {
                        events = null; // the scenario's table is not captured: nothing to send, go on
                    }
                }
            }
            if (events == null) {
                int size = TRANSACTION_SIZES[random.nextInt(TRANSACTION_SIZES.length)];
                events = workload.randomTransaction(Math.min(size, budget));
            }
            for (ChangeEvent e : events) {
                GeneratedMessage m = message(e);
                out.add(m);
                remember(e, m);
            }
            if (duplicates) {
                addDuplicates(out, budget);
            }
        }
        sent += out.size();
        return out;
    }

    private GeneratedMessage message(ChangeEvent e) {
        return new GeneratedMessage(e.topic().toString(),
                Map.of(MessageProperties.KEY, DebeziumJsonCodec.keyJson(e.key()), MessageProperties.SCN, e.source().scn()),
                e, null);
    }

    /** F6: bodies that are not envelopes, each on a real topic with a key, each an expected dead letter. */
    private void malformedJson(List<GeneratedMessage> out) {
        String topic = "cdc/oracle/SALES/ORDERS/insert";
        String[] bodies = {
            "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\"",
            "this is not JSON at all",
            "{\"payload\":{\"op\":\"c\",\"after\":{\"ORDER_ID\":1}}}"
        };
        for (int i = 0; i < bodies.length; i++) {
            Map<String, Object> key = Map.of("ORDER_ID", 990_000_000L + i);
            out.add(new GeneratedMessage(topic, Map.of(MessageProperties.KEY, DebeziumJsonCodec.keyJson(key),
                    MessageProperties.SCN, Long.toString(workload.database().scn())), null, bodies[i]));
            workload.expectDeadLetter(new ExpectedDeadLetter(topic, key, ExpectedDeadLetter.Reason.MALFORMED_JSON));
        }
    }

    /** F10: re-sends some recent messages, preferring ones whose row has changed since (an older SCN after a newer). */
    private void addDuplicates(List<GeneratedMessage> out, int budget) {
        int originals = out.size();
        for (int i = 0; i < originals && out.size() < budget; i++) {
            if (recentCount == 0 || random.nextDouble() >= config.duplicateRatio()) {
                continue;
            }
            Recent pick = null;
            for (int probe = 0; probe < 32 && pick == null; probe++) {
                Recent candidate = recent[random.nextInt(recentCount)];
                if (candidate.superseded) {
                    pick = candidate;
                }
            }
            if (pick == null) {
                pick = recent[random.nextInt(recentCount)];
            }
            out.add(pick.message.resend());
            duplicatesSent++;
        }
    }

    private void remember(ChangeEvent e, GeneratedMessage m) {
        if (!duplicates) {
            return;
        }
        String row = e.table() + m.properties().get(MessageProperties.KEY);
        Recent previous = latestByRow.get(row);
        if (previous != null) {
            previous.superseded = true;
        }
        Recent r = new Recent(row, m);
        latestByRow.put(row, r);
        Recent old = recent[recentNext];
        if (old != null) {
            latestByRow.remove(old.row, old);
        }
        recent[recentNext] = r;
        recentNext = (recentNext + 1) % RECENT_WINDOW;
        recentCount = Math.min(recentCount + 1, RECENT_WINDOW);
    }

    private static final class Recent {
        final String row;
        final GeneratedMessage message;
        boolean superseded;

        Recent(String row, GeneratedMessage message) {
            this.row = row;
            this.message = message;
        }
    }
}
