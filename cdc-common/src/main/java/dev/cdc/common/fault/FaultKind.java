package dev.cdc.common.fault;

/**
 * What a failure of a sink's target means for the records it was writing (DESIGN section 7). Every sink classifies
 * its own failures into one of these with a {@link FaultClassifier}; {@link TransientRetry} and
 * {@link BatchBisection} act on the kind, never on the exception type.
 */
public enum FaultKind {
    /**
     * The target may take the same records later: down, unreachable, overloaded, timed out (HTTP 5xx, 408, 429, a
     * refused connection, a database that can't be reached). Retried with backoff for as long as it lasts; nothing is
     * acknowledged and nothing becomes a dead letter meanwhile.
     */
    TRANSIENT,
    /**
     * The target refused a record as bad in itself (an HTTP 4xx other than 401/403/408/429, a row the database
     * refuses). Never retried as is: the batch is split until the bad record is alone, which becomes a dead letter.
     */
    INVALID,
    /**
     * A configuration fault no retry mends (a wrong token, an unknown host or URL): fails the consumer loudly, which
     * acknowledges nothing.
     */
    FATAL
}
