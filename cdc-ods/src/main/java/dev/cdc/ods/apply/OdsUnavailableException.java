package dev.cdc.ods.apply;

/**
 * The database could not take a batch after every retry (down, unreachable, out of space). Transient: the caller
 * acknowledges nothing and tries the same batch again later; no change of it is a dead letter.
 */
public final class OdsUnavailableException extends Exception {

    public OdsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
