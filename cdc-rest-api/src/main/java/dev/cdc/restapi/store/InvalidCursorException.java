package dev.cdc.restapi.store;

/** An {@code after} value that no listing of this kind gave out: the client's mistake, a 400. */
public final class InvalidCursorException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidCursorException(String cursor) {
        super("after: not a cursor of this listing: " + cursor);
    }
}
