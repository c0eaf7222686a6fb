package dev.cdc.restapi.store;

/**
 * A record of a batch lacks what its kind requires. Permanent for that record: it is reported as {@code invalid}
 * with this reason and the rest of its batch goes on. Carries no stack trace: it is an answer, not a failure.
 */
public final class InvalidRecordException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
