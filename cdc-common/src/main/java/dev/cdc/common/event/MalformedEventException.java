package dev.cdc.common.event;

/**
 * An event that is bad in itself (not JSON, a required field missing, a value that does not fit its schema).
 * Permanent for that record: it belongs in the dead-letter queue, never in a retry loop.
 */
public final class MalformedEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }

    public static MalformedEventException notJson(Throwable cause) {
        return new MalformedEventException("body is not valid JSON: " + cause.getMessage(), cause);
    }

    public static MalformedEventException missing(String path) {
        return new MalformedEventException("missing required field " + path, null);
    }

    public static MalformedEventException wrongValue(String path, String expected, Object actual) {
        String shown = String.valueOf(actual);
        if (shown.length() > 80) {
            shown = shown.substring(0, 80) + "...";
        }
        return new MalformedEventException(path + ": expected " + expected + " but found " + shown, null);
    }

    public static MalformedEventException invalid(String what, Throwable cause) {
        return new MalformedEventException(what + ": " + cause.getMessage(), cause);
    }
}
