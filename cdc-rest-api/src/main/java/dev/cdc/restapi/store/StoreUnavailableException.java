package dev.cdc.restapi.store;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The store could not do what was asked (disk full, I/O error, closed). Transient for the caller: nothing of the
 * batch was committed, so the sender retries it; it is never a reason to dead-letter a record.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    static StoreUnavailableException writing(Path db, String kind, int records, SQLException cause) {
        return new StoreUnavailableException("could not commit a batch of " + records + " " + kind + " to " + db
                + ": " + cause.getMessage(), cause);
    }

    static StoreUnavailableException reading(Path db, String what, SQLException cause) {
        return new StoreUnavailableException("could not read " + what + " from " + db + ": " + cause.getMessage(), cause);
    }

    static StoreUnavailableException opening(Path db, Exception cause) {
        return new StoreUnavailableException("could not open " + db + ": " + cause.getMessage(), cause);
    }

    static StoreUnavailableException newerSchema(Path db, int found, int known) {
        return new StoreUnavailableException(db + " has schema version " + found + "; this build knows up to "
                + known + " (written by a newer version?)", null);
    }
}
