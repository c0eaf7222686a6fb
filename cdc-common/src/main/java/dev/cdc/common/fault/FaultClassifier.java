package dev.cdc.common.fault;

/**
 * Tells what a sink's failure means: each sink supplies its own rules (HTTP statuses for the REST sink, SQL states
 * for the ODS). Called on every failure of an attempt, so it must be cheap and must not throw.
 */
@FunctionalInterface
public interface FaultClassifier {

    FaultKind classify(Throwable failure);
}
