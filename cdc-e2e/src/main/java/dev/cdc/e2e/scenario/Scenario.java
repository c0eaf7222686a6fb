package dev.cdc.e2e.scenario;

import dev.cdc.e2e.pipeline.ConsumerProcess;
import java.util.Set;

/**
 * One failure or operator scenario of DESIGN section 8, run over real processes for one architecture at a time. An
 * implementation starts a pipeline through its {@link ScenarioContext}, publishes at a rate while it does what it
 * names, drains and returns what it observed; the suite runs it in a fresh directory with free ports.
 */
public interface Scenario {

    /** F1 ... F10, O1 ... O3, S, X, D (long variants end in L: F4L). */
    String id();

    /** The architectures it applies to. */
    Set<ConsumerProcess> architectures();

    /** What it does, in a few words, for the table. */
    String done();

    /** Runs only with {@code --long} (or when named in {@code --only}). */
    default boolean isLong() {
        return false;
    }

    /**
     * The scenario that runs this one's input together with others' (null: none). The default selection leaves
     * such a scenario to it, and runs this one alone only when named in {@code --only}: the same input in one
     * pipeline run instead of several.
     */
    default String coveredBy() {
        return null;
    }

    ScenarioResult run(ScenarioContext context) throws Exception;
}
